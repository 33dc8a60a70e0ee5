import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openCore, type Core } from '../../../src/app/open';
import { applyBudgetChange } from '../../../src/budget/budgets';
import { budgetEngine } from '../../../src/budget/engine';
import { withBusyTimeout } from '../../../src/ledger/busy';
import { tempHome } from '../../helpers/cli';

let core: Core;
afterEach(() => core.close());

describe('the budget engine', () => {
  it('says a failure that repeats once, and once that the checks run again; the alert is stored when they do', () => {
    const home = tempHome('burnrate-engine-');
    core = openCore({ home, env: {}, timeZone: 'UTC' });
    applyBudgetChange(core.db, { daily: 1_000_000_000, reserveBp: 0 }, new Date());
    core.usage.write([{ source: 'manual', provider: 'openai', model: 'gpt-4o-mini', costNano: 950_000_000, occurredAt: new Date() }]); // 95 %: an alert to store
    core.db.prepare('DELETE FROM alerts').run(); // the write's own checks stored it: start again without it
    const said: string[] = [];
    const check = budgetEngine(core, (line) => said.push(line));
    const other = new Database(path.join(home, 'ledger.sqlite'));
    other.prepare('BEGIN IMMEDIATE').run(); // another process holds the write lock
    try {
      for (let i = 0; i < 5; i++) withBusyTimeout(core.db, 0, () => check('test', []));
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    expect(said).toEqual(['[burnrate] budget checks failed: database is locked. They are tried again at the next write and on schedule; this is said again only if the reason changes.']);
    expect(core.db.prepare('SELECT COUNT(*) AS n FROM alerts').get()).toEqual({ n: 0 });
    check('test', []);
    expect(said.slice(1)).toEqual(['[burnrate] budget checks run again.']);
    expect((core.db.prepare('SELECT COUNT(*) AS n FROM alerts').get() as { n: number }).n).toBeGreaterThan(0);
    check('test', []);
    expect(said).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/ledger/migrate';
import { openMemoryLedger } from '../../../src/ledger/db';

describe("migration 015 (the machine of a reservation's owner)", () => {
  it("keeps the reservations in flight on a ledger that already has 011, with '' (judged by expiry) as their machine", () => {
    const db = openMemoryLedger({ migrate: false });
    migrate(db, 11);
    db.prepare("INSERT INTO proxy_reservations (owner, owner_pid, provider, project, amount_nano, expires_at) VALUES ('o1', 4242, 'openai', '', 500, 99)").run();
    migrate(db, 15);
    expect(db.prepare('SELECT owner, owner_pid, owner_host, amount_nano, expires_at FROM proxy_reservations').all()).toEqual([
      { owner: 'o1', owner_pid: 4242, owner_host: '', amount_nano: 500, expires_at: 99 },
    ]);
    db.prepare("INSERT INTO proxy_reservations (owner, owner_pid, owner_host, provider, amount_nano, expires_at) VALUES ('o2', 1, 'box/boot', 'openai', 1, 1)").run();
    expect(db.prepare("SELECT owner_host FROM proxy_reservations WHERE owner = 'o2'").pluck().get()).toBe('box/boot');
  });
});

import type { Core } from '../app/open';
import { dueRowsOf, readOnlyLedger, ReadOnlyViolation } from '../ledger/view';
import { CoreEvents } from '../model/events';
import { dueSubscriptionEvents } from '../odometer/subscriptions';

/**
 * What a `kind: 'read'` handler gets instead of the core: the same core, but its ledger is the
 * read-only view (ledger/view.ts: writes refused, rows due now added on the fly), and it can emit
 * no event, send no notification and report no spend change. A read that tries any of these is a
 * bug: it fails loudly instead of writing, notifying or alerting from a GET.
 */
export function readView(core: Core): Core {
  const refuse = (what: string) => (): never => {
    throw new ReadOnlyViolation(`A read tried to ${what}; reads never do.`);
  };
  const events = new CoreEvents();
  events.emit = refuse('emit an event');
  const writerOnly = (writer: object, allowed: readonly string[]) =>
    new Proxy(writer, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        return allowed.includes(String(property)) ? (value as (...a: unknown[]) => unknown).bind(target) : refuse(`write through ${String(property)}`);
      },
    });
  return Object.create(core, {
    db: {
      value: readOnlyLedger(core.db, () => {
        const recordedAt = core.clock.now().toISOString();
        return dueRowsOf(core.db, (e) => core.usage.prepare(e, recordedAt), dueSubscriptionEvents(core));
      }),
    },
    events: { value: events },
    notifier: { value: { notify: refuse('send a notification') } },
    spendChanged: { value: refuse('report a spend change') },
    usage: { value: writerOnly(core.usage, ['prepare']) },
    billed: { value: writerOnly(core.billed, []) },
  }) as Core;
}

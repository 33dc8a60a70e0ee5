import { useState } from 'react';
import type { BudgetView } from '../../../../src/api/contract/budget';
import { OverrideForm } from './OverrideForm';

const PRESSED = new Set(['critical', 'exceeded']);

/** True when the proxy may be refusing now: an enforced budget is critical or past its line. */
export function overrideNeeded(view: BudgetView | undefined): boolean {
  if (!view) return false;
  const { policies } = view;
  if (policies.daily === 'enforce' && PRESSED.has(view.day.health ?? '')) return true;
  if (policies.monthly === 'enforce' && PRESSED.has(view.month.health ?? '')) return true;
  // A cap the proxy has no route to refuses nothing, whatever policy was stored for it.
  return view.caps.some((c) => c.proxied && policies.caps[c.provider] === 'enforce' && PRESSED.has(c.health ?? ''));
}

/** The popover's compact Override: a button that opens the small form, only when it matters. */
export function OverrideButton({ view }: { view: BudgetView | undefined }) {
  const [open, setOpen] = useState(false);
  if (!view || !overrideNeeded(view)) return null;
  return (
    <section className="pop-override" aria-label="Emergency override">
      {open ? (
        <OverrideForm timeZone={view.timezone} budgets={view} compact />
      ) : (
        <p className="small">
          An enforced budget is nearly or fully spent; the proxy refuses requests past it.{' '}
          <button type="button" className="btn btn-small btn-secondary" onClick={() => setOpen(true)}>
            Override…
          </button>
        </p>
      )}
    </section>
  );
}

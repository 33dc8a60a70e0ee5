import { useState } from 'react';
import type { AttentionItem, Reminder } from '../../../src/api/contract';
import { syncFailureWords } from '../api/remedies';
import { attentionFix } from './attention-links';
import { Icon } from './Icons';
import { ViewLink } from './ViewLink';

/**
 * "What needs attention", most serious first (the core orders it). With `max` (the popover) the
 * rest fold behind a count that opens them, so the providers stay in view. With `surface`, each
 * item links to where it is fixed (reminders give the month a final figure is for).
 */
export function AttentionList({ items, max, surface, reminders }: { items: AttentionItem[]; max?: number; surface?: 'popover' | 'window'; reminders?: readonly Reminder[] }) {
  const [open, setOpen] = useState(false);
  if (items.length === 0) return null;
  const shown = max && !open ? items.slice(0, max) : items;
  return (
    <section className="attention" aria-labelledby="attention-title">
      <h2 id="attention-title" className="section-title">
        Needs attention <span className="count">{items.length}</span>
      </h2>
      <ul>
        {shown.map((item, i) => (
          <li key={`${item.kind}-${i}`} className={`attention-item sev-${item.severity}`}>
            {item.severity === 'info' ? <Icon.info className="icon-inline" /> : <Icon.warning className="icon-inline" />}
            <span>{syncFailureWords(item.message, item.keychainTrouble)}</span>
            {surface ? <FixLinkOf item={item} reminders={reminders} surface={surface} /> : null}
          </li>
        ))}
      </ul>
      {max && items.length > max ? (
        <button type="button" className="link small attention-more" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Show only the most urgent' : `${items.length - max} more ${items.length - max === 1 ? 'needs' : 'need'} attention`}
        </button>
      ) : null}
    </section>
  );
}

function FixLinkOf({ item, reminders, surface }: { item: AttentionItem; reminders: readonly Reminder[] | undefined; surface: 'popover' | 'window' }) {
  const fix = attentionFix(item, reminders);
  if (!fix) return null;
  return (
    <ViewLink to={fix.to} surface={surface} className="link fix-link">
      {fix.label}
    </ViewLink>
  );
}

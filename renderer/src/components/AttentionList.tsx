import type { AttentionItem } from '../../../src/api/contract';
import { Icon } from './Icons';

/** "What needs attention", most serious first (the core orders it). */
export function AttentionList({ items, max }: { items: AttentionItem[]; max?: number }) {
  if (items.length === 0) return null;
  const shown = max ? items.slice(0, max) : items;
  return (
    <section className="attention" aria-labelledby="attention-title">
      <h2 id="attention-title" className="section-title">
        Needs attention <span className="count">{items.length}</span>
      </h2>
      <ul>
        {shown.map((item, i) => (
          <li key={`${item.kind}-${i}`} className={`attention-item sev-${item.severity}`}>
            {item.severity === 'info' ? <Icon.info className="icon-inline" /> : <Icon.warning className="icon-inline" />}
            <span>{item.message}</span>
          </li>
        ))}
      </ul>
      {max && items.length > max ? <p className="muted small">and {items.length - max} more</p> : null}
    </section>
  );
}

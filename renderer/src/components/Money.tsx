import { formatMoney } from '../format/money';

/** An amount in tabular figures; the exact decimal from the core is in the tooltip. */
export function Money({ usd, signed, className }: { usd: string | null | undefined; signed?: boolean; className?: string }) {
  const text = formatMoney(usd, { signed: signed ?? false });
  const exact = usd === null || usd === undefined ? undefined : `$${usd.replace(/^-/, '')}${usd.startsWith('-') ? ' less' : ''}`;
  return (
    <span className={`num${className ? ` ${className}` : ''}`} title={exact !== undefined && exact !== text ? exact : undefined}>
      {text}
    </span>
  );
}

import type { ReactNode } from 'react';
import type { CallError } from '../api';

export function ErrorNote({ error, onRetry }: { error: CallError | undefined; onRetry?: () => void }) {
  if (!error) return null;
  return (
    <div className="note note-error" role="alert">
      <span>{error.message}</span>
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function SuccessNote({ children }: { children: ReactNode }) {
  return (
    <div className="note note-ok" role="status">
      {children}
    </div>
  );
}

/** Something that was tried and did not work (a test message that failed): the error style, announced at once. */
export function FailureNote({ children }: { children: ReactNode }) {
  return (
    <div className="note note-error" role="alert">
      {children}
    </div>
  );
}

/** Neither a success nor a failure (nothing needed doing): the neutral style. */
export function InfoNote({ children }: { children: ReactNode }) {
  return (
    <div className="note note-info" role="status">
      {children}
    </div>
  );
}

/** What an attempt came to, in the style of its outcome. */
export type Outcome = { kind: 'ok' | 'failed' | 'info'; text: string };

export function OutcomeNote({ outcome }: { outcome: Outcome | undefined }) {
  if (!outcome) return null;
  if (outcome.kind === 'failed') return <FailureNote>{outcome.text}</FailureNote>;
  if (outcome.kind === 'info') return <InfoNote>{outcome.text}</InfoNote>;
  return <SuccessNote>{outcome.text}</SuccessNote>;
}

/** What a new user sees instead of an empty table: what this is for and the first thing to do. */
export function EmptyState({ title, children, action }: { title: string; children?: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children ? <div className="empty-text">{children}</div> : null}
      {action ? <div className="empty-action">{action}</div> : null}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Card({ title, actions, children, className }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={`card${className ? ` ${className}` : ''}`}>
      {title || actions ? (
        <header className="card-head">
          {title ? <h2 className="card-title">{title}</h2> : <span />}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      {children}
    </section>
  );
}

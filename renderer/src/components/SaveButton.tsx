import type { ReactNode } from 'react';

/** A form's main submit button: disabled, and saying so, while the save runs. */
export function SaveButton({ busy, disabled = false, children }: { busy: boolean; disabled?: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="btn btn-primary" disabled={busy || disabled}>
      {busy ? 'Saving…' : children}
    </button>
  );
}

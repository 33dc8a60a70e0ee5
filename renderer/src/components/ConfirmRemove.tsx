import { useConfirmFocus } from '../hooks/useConfirmFocus';

/**
 * A row's removal, asked first: "Remove…" turns into Remove and Keep, with the focus on Keep (the
 * safe answer: Enter pressed twice keeps the row), and Keep hands the focus back to "Remove…", as
 * the caps' confirmation does. `label` names what goes, for screen readers.
 */
export function ConfirmRemove({ asking, busy, label, onAsk, onKeep, onRemove }: { asking: boolean; busy: boolean; label: string; onAsk: () => void; onKeep: () => void; onRemove: () => void }) {
  const { askRef, keepRef } = useConfirmFocus(asking);
  return asking ? (
    <>
      <button type="button" className="btn btn-small btn-danger" onClick={onRemove} disabled={busy} aria-busy={busy}>
        Remove
      </button>
      <button ref={keepRef} type="button" className="btn btn-small btn-ghost" onClick={onKeep}>
        Keep
      </button>
    </>
  ) : (
    <button ref={askRef} type="button" className="btn btn-small btn-ghost" onClick={onAsk} aria-label={label}>
      Remove…
    </button>
  );
}

/**
 * A row's removal, asked first: "Remove…" turns into Remove and Keep, with the focus on Remove so
 * a keyboard user answers where they asked. `label` names what goes, for screen readers.
 */
export function ConfirmRemove({ asking, busy, label, onAsk, onKeep, onRemove }: { asking: boolean; busy: boolean; label: string; onAsk: () => void; onKeep: () => void; onRemove: () => void }) {
  return asking ? (
    <>
      <button type="button" className="btn btn-small btn-danger" onClick={onRemove} disabled={busy} autoFocus>
        Remove
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={onKeep}>
        Keep
      </button>
    </>
  ) : (
    <button type="button" className="btn btn-small btn-ghost" onClick={onAsk} aria-label={label}>
      Remove…
    </button>
  );
}

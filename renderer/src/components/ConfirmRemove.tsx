import { useConfirmFocus } from '../hooks/useConfirmFocus';

/** The words of a removal asked first: the asking button, the one that removes, the one that keeps. */
export interface ConfirmWords {
  ask: string;
  yes: string;
  keep: string;
}

const REMOVE: ConfirmWords = { ask: 'Remove…', yes: 'Remove', keep: 'Keep' };

/**
 * A row's removal, asked first: "Remove…" turns into Remove and Keep, with the focus on Keep (the
 * safe answer: Enter pressed twice keeps the row); Keep, or Escape, hands the focus back to
 * "Remove…" (useConfirmFocus). `label` names what goes, for screen readers; `words` are other
 * verbs for the same question ("Delete…", "Delete key").
 */
export function ConfirmRemove({
  asking,
  busy,
  label,
  words = REMOVE,
  onAsk,
  onKeep,
  onRemove,
}: {
  asking: boolean;
  busy: boolean;
  label?: string;
  words?: ConfirmWords;
  onAsk: () => void;
  onKeep: () => void;
  onRemove: () => void;
}) {
  const { askRef, answerRef, scope } = useConfirmFocus(asking, onKeep);
  return asking ? (
    <>
      <button {...scope} type="button" className="btn btn-small btn-danger" onClick={onRemove} disabled={busy} aria-busy={busy}>
        {words.yes}
      </button>
      <button {...scope} ref={answerRef} type="button" className="btn btn-small btn-ghost" onClick={onKeep}>
        {words.keep}
      </button>
    </>
  ) : (
    <button ref={askRef} type="button" className="btn btn-small btn-ghost" onClick={onAsk} aria-label={label}>
      {words.ask}
    </button>
  );
}

import { useMemo, useState } from 'react';

/**
 * One success note at a time across the cards of a view: a card that says something takes the
 * turn and the others' notes go. In Budgets & caps an old "Saved: daily budget …" under the
 * Budgets card stayed next to a cap just set and read as if it were about the cap.
 */
export interface NoteTurn {
  /** The card whose note shows (undefined before any card spoke). */
  holder: string | undefined;
  take: (card: string) => void;
}

export function useNoteTurn(): NoteTurn {
  const [holder, take] = useState<string>();
  return useMemo(() => ({ holder, take }), [holder]);
}

/** `text` while `card` holds the turn; nothing once another card has spoken since. */
export function noteOf(turn: NoteTurn | undefined, card: string, text: string | undefined): string | undefined {
  return !turn || turn.holder === card ? text : undefined;
}

import { useEffect, useId, useRef } from 'react';

/**
 * The keyboard of an inline confirmation (a "Remove…" that turns into Remove and Keep), the same
 * for every one in the window:
 * - while it asks, the focus is on `answerRef`: Keep where something would be removed (the safe
 *   answer: Enter pressed twice keeps it);
 * - Escape is its Keep: `cancel` runs, as a click on Keep does;
 * - once it closes and took the focus along (its buttons are gone), the focus goes back to
 *   `askRef`, the button that asked (or to what `opener` names: a row's button among a table's),
 *   if it is still there. A focus put elsewhere meanwhile (a field being typed in, which withdraws
 *   the question) stays there.
 *
 * Escape counts when the focus is inside the confirmation (the elements given `scope`) or on no
 * control (the page, or the window's main region after a click on empty space). Pressed in a field
 * being edited, or on another control, it is left alone: it never closes or changes anything but
 * the question it answers. Of two questions open at once, one Escape withdraws one.
 */
export function useConfirmFocus(asking: boolean, cancel: () => void, opener?: () => HTMLElement | null | undefined) {
  const askRef = useRef<HTMLButtonElement>(null);
  const answerRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  const id = useId();
  // The latest callbacks, for a listener added once per question.
  const latest = useRef({ cancel, opener });
  useEffect(() => {
    latest.current = { cancel, opener };
  });
  useEffect(() => {
    if (asking) answerRef.current?.focus();
    else if (asked.current && focusLost()) (latest.current.opener?.() ?? askRef.current)?.focus();
    asked.current = asking;
  }, [asking]);
  useEffect(() => {
    if (!asking) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const target = event.target;
      const inside = target instanceof Element && target.closest(`[data-confirm="${id}"]`) !== null;
      if (!inside && !onNoControl(target)) return;
      // Handled: no other question, and nothing listening above, takes this Escape too.
      event.preventDefault();
      event.stopPropagation();
      latest.current.cancel();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [asking, id]);
  return { askRef, answerRef, scope: { 'data-confirm': id } };
}

/** The focus is on no control: on the page (as when the focused button went with the question) or a region holding it. */
function focusLost(): boolean {
  return document.activeElement === null || onNoControl(document.activeElement);
}

/** The page, or a region focused only to hold the focus (tabindex -1, such as the window's main). */
function onNoControl(target: EventTarget | null): boolean {
  if (target === document.body) return true;
  return target instanceof HTMLElement && target.getAttribute('tabindex') === '-1' && !target.matches('a, button, input, select, textarea, [contenteditable]');
}

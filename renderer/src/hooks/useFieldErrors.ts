import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';

type Shown<K extends string> = { field: K; message: string; at: number };

/**
 * The error state every form shares (issue 15: "one field error at a time"):
 * - a check shows one field's error at a time, the first wrong field in the form's order, and
 *   moves the focus there; fixing it and saving again shows the next one;
 * - editing a field clears its error, the server's refusal (it answered what was sent before) and
 *   the last success note, so a refusal and a field error never show together;
 * - an error never clears what the user typed.
 * `clearRefusal` is the form's action's clear (useAction().clear).
 */
export function useFieldErrors<K extends string>(clearRefusal?: () => void) {
  const [shown, setShown] = useState<Shown<K>>();
  const [done, setDone] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const clear = useRef(clearRefusal);
  clear.current = clearRefusal;

  // Focus the field whose error was just shown (Field marks its control aria-invalid).
  useEffect(() => {
    if (shown) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown]);

  /** Show the first of these errors (listed in the form's order); true when there is none and the form may send. */
  const check = useCallback((errors: Partial<Record<K, string | undefined>>): boolean => {
    const first = (Object.entries(errors) as [K, string | undefined][]).find(([, message]) => message);
    setDone(undefined);
    clear.current?.();
    setShown(first ? { field: first[0], message: first[1]!, at: Date.now() } : undefined);
    return first === undefined;
  }, []);

  /** The user changed a field: its error, the refusal and the success note go. */
  const edited = useCallback((field?: K) => {
    setShown((s) => (s && (field === undefined || s.field === field) ? undefined : s));
    setDone(undefined);
    clear.current?.();
  }, []);

  /** An onChange that keeps the value and reports the edit. */
  const onEdit = useCallback(
    (field: K, set: (value: string) => void) => (event: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
      set(event.target.value);
      edited(field);
    },
    [edited],
  );

  const errorOf = (field: K): string | undefined => (shown?.field === field ? shown.message : undefined);

  return { check, edited, onEdit, errorOf, done, setDone, formRef };
}

import { useCallback, useEffect, useRef, useState, type ChangeEvent } from 'react';
import type { CallError } from '../api';

type Shown<K extends string> = { field: K; message: string; at: number };

/** The form's write (useAction): its refusal, and how to clear it. */
interface Refusable {
  error: CallError | undefined;
  clear: () => void;
}

/**
 * The form field a server refusal is about: the core names it in the fact `field` (a contract input
 * name, src/model/errors.ts), a schema refusal in `fields`; `fields` maps those names to the form's own.
 */
export function refusedField<K extends string>(error: CallError | undefined, fields: Partial<Record<string, K>>): K | undefined {
  if (!error) return undefined;
  const named = [error.facts.field, ...(Array.isArray(error.facts.fields) ? error.facts.fields : [])];
  for (const name of named) {
    if (typeof name === 'string' && Object.hasOwn(fields, name) && fields[name]) return fields[name];
  }
  return undefined;
}

/**
 * The error state every form shares (issue 15: "one field error at a time"):
 * - a check shows one field's error at a time, the first wrong field in the form's order, and
 *   moves the focus there; fixing it and saving again shows the next one;
 * - a server refusal about one field (a reading below the last one, a duplicate name) shows at that
 *   field with the focus there; one the form has no field for stays under the form (`refusal`);
 * - editing a field clears its error, the server's refusal (it answered what was sent before) and
 *   the last success note, so a refusal and a field error never show together;
 * - an error never clears what the user typed.
 * `action` is the form's write (useAction); `fields` maps the contract's input names to the form's fields.
 */
export function useFieldErrors<K extends string>(action?: Refusable, fields: Partial<Record<string, K>> = {}) {
  const [shown, setShown] = useState<Shown<K>>();
  const [done, setDone] = useState<string>();
  const formRef = useRef<HTMLFormElement>(null);
  const clear = useRef(action?.clear);
  clear.current = action?.clear;
  const refusal = action?.error;
  const refused = refusedField(refusal, fields);

  // Focus the field whose error was just shown (Field marks its control aria-invalid).
  useEffect(() => {
    if (shown || (refusal && refused)) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [shown, refusal, refused]);

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

  const errorOf = (field: K): string | undefined => (shown ? (shown.field === field ? shown.message : undefined) : refused === field ? refusal?.message : undefined);

  return {
    check,
    edited,
    onEdit,
    errorOf,
    done,
    setDone,
    formRef,
    /** The refusal to show under the form: one no field of this form is about. */
    refusal: refused ? undefined : refusal,
  };
}

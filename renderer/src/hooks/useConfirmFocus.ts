import { useEffect, useRef } from 'react';

/**
 * The focus of an inline "Remove…" confirmation: on Keep (the safe answer: Enter pressed twice
 * keeps the row) while it asks, and back on "Remove…" once the user kept it.
 */
export function useConfirmFocus(asking: boolean) {
  const askRef = useRef<HTMLButtonElement>(null);
  const keepRef = useRef<HTMLButtonElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (asking) keepRef.current?.focus();
    else if (asked.current) askRef.current?.focus();
    asked.current = asking;
  }, [asking]);
  return { askRef, keepRef };
}

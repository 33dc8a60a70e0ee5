import { useEffect, useRef } from 'react';

/**
 * A form a link opened (`#/readings?action=final`): brought into view with its first empty field
 * focused, once it is on the page, so the click lands where the thing is fixed.
 */
export function useOpenedBy<T extends HTMLElement>(opened: boolean, ready = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (!opened || !ready || !ref.current) return;
    ref.current.scrollIntoView?.({ block: 'start' });
    const field = ref.current.querySelector<HTMLInputElement>('input:not([type=checkbox]):not([readonly])');
    const empty = [...ref.current.querySelectorAll<HTMLInputElement>('input[type=text]')].find((i) => i.value === '');
    (empty ?? field)?.focus();
  }, [opened, ready]);
  return ref;
}

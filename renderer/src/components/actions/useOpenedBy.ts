import { useEffect, useRef } from 'react';

/** How far down the window's sticky header (and anything else stuck to the top) reaches. */
function stuckHeaderBottom(): number {
  let bottom = 0;
  for (const el of document.querySelectorAll<HTMLElement>('.topbar')) {
    if (getComputedStyle(el).position !== 'sticky' && getComputedStyle(el).position !== 'fixed') continue;
    bottom = Math.max(bottom, el.getBoundingClientRect().height);
  }
  return bottom;
}

/**
 * A form a link opened (`#/readings?action=final`): brought into view with its first empty field
 * focused, once it is on the page, so the click lands where the thing is fixed. Its top lands just
 * below the sticky header (taller on a narrow window, where it wraps), never under it.
 */
export function useOpenedBy<T extends HTMLElement>(opened: boolean, ready = true) {
  const ref = useRef<T>(null);
  useEffect(() => {
    const el = ref.current;
    if (!opened || !ready || !el) return;
    const place = () => {
      el.style.scrollMarginTop = `${stuckHeaderBottom() + 8}px`;
      el.scrollIntoView?.({ block: 'start' });
    };
    place();
    const field = el.querySelector<HTMLInputElement>('input:not([type=checkbox]):not([readonly])');
    const empty = [...el.querySelectorAll<HTMLInputElement>('input[type=text]')].find((i) => i.value === '');
    // Already in view: focusing must not scroll it again (that would tuck it under the header).
    (empty ?? field)?.focus({ preventScroll: true });
    // Cards above it that load later would push it down out of view: keep it in place as the page
    // grows, until the user scrolls, clicks or types (from then on the page is theirs).
    if (typeof ResizeObserver === 'undefined') return;
    const grows = new ResizeObserver(() => place());
    grows.observe(document.querySelector('main') ?? document.body);
    const USER = ['wheel', 'touchstart', 'mousedown', 'keydown'] as const;
    const stop = () => {
      grows.disconnect();
      for (const name of USER) window.removeEventListener(name, stop, true);
    };
    for (const name of USER) window.addEventListener(name, stop, { capture: true, passive: true });
    return stop;
  }, [opened, ready]);
  return ref;
}

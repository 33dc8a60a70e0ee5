import type { MouseEvent, ReactNode } from 'react';
import { useClient } from '../hooks/client';
import { hashOf, type Route } from '../routes';

/**
 * A link to a window view. In the browser it is a plain hash link (one page). In Electron's
 * popover it asks for the dashboard window instead: main/ turns a window.open of our own page
 * into "show that view" and denies the new window.
 */
export function ViewLink({ to, children, className, title, surface }: { to: Route; children: ReactNode; className?: string; title?: string; surface: 'popover' | 'window' }) {
  const client = useClient();
  const href = hashOf(to);
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (client.transport !== 'ipc' || surface !== 'popover' || to.surface !== 'window') return;
    event.preventDefault();
    window.open(`index.html${href}`, '_blank');
  };
  return (
    <a href={href} className={className} title={title} onClick={onClick}>
      {children}
    </a>
  );
}

import { useCall } from '../hooks/useCall';
import { Money } from './Money';
import { ViewLink } from './ViewLink';

/**
 * Every team read is a round trip to the shared PostgreSQL: pushes (each local write sends one)
 * are gathered for this long into one read, so a busy proxy does not query the store per request.
 */
export const TEAM_REFRESH_MS = 5000;

/** The popover's team line: the team's today and month, once this machine is in a team; nothing otherwise. */
export function TeamLine() {
  const membership = useCall('teamMembership', {}, { refreshOn: ['statusChanged'] });
  const joined = membership.data?.joined ?? false;
  const status = useCall('teamStatus', {}, { coalesceMs: TEAM_REFRESH_MS, refreshOn: ['statusChanged', 'alertFired'], skip: !joined });
  if (!joined) return null;
  const s = status.data;
  return (
    <p className="pop-hint" data-testid="team-line">
      <ViewLink to={{ surface: 'window', view: 'team' }} surface="popover" className="link">
        Team {membership.data?.team}
      </ViewLink>
      {s ? (
        <>
          : today <Money usd={s.day.spentUsd} />
          {s.day.health ? ` (${s.day.health})` : ''}, month <Money usd={s.month.spentUsd} />
        </>
      ) : status.error ? (
        ': the team database does not answer right now.'
      ) : null}
    </p>
  );
}

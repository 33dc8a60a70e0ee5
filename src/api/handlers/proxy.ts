import type { Core } from '../../app/open';
import { activeOverrides, addOverride, endOverride, overrideEndsAt, overrideLift, parseDuration, readOverrides } from '../../budget/overrides';
import { formatUsd, MoneyError, parseUsd } from '../../money';
import { conflict, invalidInput, notFound } from '../../model/errors';
import { readSettings } from '../../settings';
import type { OverridesView, proxyMethods } from '../contract/proxy';
import type { HandlersFor } from '../handler';
import { when } from '../../odometer/describe';

const DEFAULT_DURATION = '2h';

function overridesView(core: Core): OverridesView {
  const now = core.clock.now();
  const list = readOverrides(core.db);
  const active = new Set(activeOverrides(list, now).map((o) => o.id));
  return {
    liftUsd: formatUsd(overrideLift(list, now)),
    overrides: [...list].reverse().map((o) => ({
      id: o.id,
      amountUsd: formatUsd(o.amountNano),
      startsAt: o.startsAt,
      endsAt: o.endsAt,
      note: o.note,
      by: o.by ?? null,
      active: active.has(o.id),
      endedAt: o.endedAt ?? null,
      endedBy: o.endedBy ?? null,
    })),
  };
}

export const proxyHandlers: HandlersFor<typeof proxyMethods> = {
  override: (core, input) => {
    let amount: number;
    try {
      amount = parseUsd(String(input.usd), { label: 'The override' });
    } catch (error) {
      if (error instanceof MoneyError) throw invalidInput('bad_override', `${error.message.replace(/\.$/, '')}; give an amount such as 5.`, { field: 'usd' });
      throw error;
    }
    if (amount <= 0) throw invalidInput('bad_override', 'An override must be more than $0; give an amount such as 5.', { field: 'usd' });
    const duration = parseDuration(input.for ?? DEFAULT_DURATION);
    if (duration === null) throw invalidInput('bad_override_duration', `"${input.for}" is not a duration; give one such as 30m, 2h or 1d (at most 31d).`, { field: 'for' });
    addOverride(core.db, amount, duration, input.note ?? '', core.clock.now(), input.by ?? 'api');
    core.events.emit('statusChanged', { reason: 'budget' });
    return overridesView(core);
  },
  overrideEnd: (core, input) => {
    const outcome = endOverride(core.db, input.id, input.by ?? 'api', core.clock.now());
    if ('unknown' in outcome) throw notFound('override_not_found', `There is no override ${input.id}; pick one from the list of overrides.`, { overrideId: input.id, field: 'id' });
    if ('alreadyEnded' in outcome) {
      const at = overrideEndsAt(outcome.alreadyEnded);
      throw conflict('override_already_ended', `Override ${input.id} already ended at ${when(Date.parse(at), core.timeZone)}; only an active override can be ended.`, { overrideId: input.id, endedAt: at, field: 'id' });
    }
    core.events.emit('statusChanged', { reason: 'budget' });
    return overridesView(core);
  },
  overrides: (core) => overridesView(core),
  proxyStatus: (core) =>
    core.services.proxy?.status() ?? {
      state: 'off',
      enabled: readSettings(core.db).proxyEnabled,
      url: null,
      port: null,
      configuredPort: null,
      portLocked: false,
      message: 'This process runs no metering proxy; the desktop app and the local server run one.',
      runHere: false,
    },
};

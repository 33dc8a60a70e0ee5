import { useEffect, useState } from 'react';
import type { ChannelView } from '../../../src/api/contract/budget';
import { useAction } from '../hooks/useCall';
import { ErrorNote } from './Feedback';

type Receives = ChannelView['receives'];

const ALERT_LEVELS: { value: Receives['alerts']; label: string }[] = [
  { value: 'info', label: 'All alerts' },
  { value: 'warning', label: 'Warnings and worse' },
  { value: 'critical', label: 'Critical only' },
  { value: 'none', label: 'No alerts' },
];

/**
 * What one channel receives, changed in place: alerts from a level up, reminders, monthly reports.
 * Each change is saved at once and shows at once; a refused one goes back to what is stored.
 */
export function ChannelReceives({ channel, onChanged }: { channel: ChannelView; onChanged: () => void }) {
  const set = useAction('channelSet');
  const stored = channel.receives;
  const [r, setShown] = useState(stored);
  useEffect(() => setShown(stored), [stored]);
  const change = async (patch: Partial<Receives>) => {
    setShown((shown) => ({ ...shown, ...patch }));
    if (await set.run({ id: channel.id, ...patch })) onChanged();
    else setShown(stored);
  };
  return (
    <div className="row-actions" role="group" aria-label={`What ${channel.url} receives`}>
      {/* An inline field, styled as the window's other selects; its name stays "Alerts", not "Alerts All alerts". */}
      <label className="inline-field">
        Alerts
        <select aria-label="Alerts" value={r.alerts} disabled={set.busy} onChange={(e) => void change({ alerts: e.target.value as Receives['alerts'] })}>
          {ALERT_LEVELS.map((level) => (
            <option key={level.value} value={level.value}>
              {level.label}
            </option>
          ))}
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={r.reminders} disabled={set.busy} onChange={(e) => void change({ reminders: e.target.checked })} /> Reminders
      </label>
      <label className="check">
        <input type="checkbox" checked={r.reports} disabled={set.busy} onChange={(e) => void change({ reports: e.target.checked })} /> Monthly reports
      </label>
      <ErrorNote error={set.error} />
    </div>
  );
}

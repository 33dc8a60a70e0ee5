import type { ProviderView } from '../../../../src/api/contract/odometer';
import { Card, Loading } from '../../components/Feedback';
import { FinalFigureForm, finalFigureProviders } from '../../components/actions/FinalFigureForm';
import { ManualRecordForm } from '../../components/actions/ManualRecordForm';
import { SubscriptionsCard } from '../../components/actions/SubscriptionsCard';
import { TopupForm, topupProviders } from '../../components/actions/TopupForm';
import { useOpenedBy } from '../../components/actions/useOpenedBy';
import { useCall } from '../../hooks/useCall';
import type { Route } from '../../routes';

/**
 * The Readings view's actions beyond a reading: a past month's final figure, a top-up, usage
 * recorded by hand and subscriptions. A link (`?action=final&provider=groq&month=2026-10`) opens
 * its form, filled in, in view.
 */
export function ReadingActions({ providers, route, onSaved }: { providers: ProviderView[] | undefined; route: Extract<Route, { surface: 'window' }> | undefined; onSaved: () => void }) {
  const status = useCall('status', {}, { refreshOn: [] });
  const today = status.data?.day.date;
  const action = route?.action;
  const ready = providers !== undefined && today !== undefined;
  const finalRef = useOpenedBy<HTMLDivElement>(action === 'final', ready);
  const topupRef = useOpenedBy<HTMLDivElement>(action === 'topup', ready);
  const recordRef = useOpenedBy<HTMLDivElement>(action === 'record', ready);
  const subsRef = useOpenedBy<HTMLDivElement>(action === 'subscription', ready);
  if (!ready) return <Loading />;
  const forAction = (a: string) => (action === a ? route?.provider : undefined);
  // The month in the key: a second link to another month re-opens the form filled in for it.
  const finalKey = `${forAction('final') ?? ''}/${action === 'final' ? (route?.month ?? '') : ''}`;
  return (
    <>
      <div className="grid grid-2">
        {finalFigureProviders(providers).length > 0 || action === 'final' ? (
          <div ref={finalRef} id="final-figure">
            <Card title="A month's final figure">
              <FinalFigureForm key={finalKey} providers={providers} provider={forAction('final')} month={action === 'final' ? route?.month : undefined} today={today} onSaved={onSaved} />
            </Card>
          </div>
        ) : null}
        {topupProviders(providers).length > 0 || action === 'topup' ? (
          <div ref={topupRef} id="topup">
            <Card title="Record a top-up">
              <TopupForm key={forAction('topup') ?? ''} providers={providers} provider={forAction('topup')} onSaved={onSaved} />
            </Card>
          </div>
        ) : null}
        <div ref={recordRef} id="record">
          <Card title="Record usage by hand">
            <ManualRecordForm key={forAction('record') ?? ''} providers={providers} provider={forAction('record')} onSaved={onSaved} />
          </Card>
        </div>
      </div>
      <SubscriptionsCard today={today} provider={forAction('subscription')} opened={action === 'subscription'} cardRef={subsRef} />
    </>
  );
}

import { useState } from 'react';
import { ConfirmRemove } from '../../components/ConfirmRemove';
import { Card, EmptyState, ErrorNote, Loading, SuccessNote } from '../../components/Feedback';
import { PriceForm } from '../../components/actions/PriceForm';
import { exactUsd, PriceCatalogue } from '../../components/PriceCatalogue';
import { useOpenedBy } from '../../components/actions/useOpenedBy';
import { providerName } from '../../components/providers';
import { ACTIONS, right, Table } from '../../components/Table';
import { localDateTime } from '../../format/time';
import { useAction, useCall } from '../../hooks/useCall';
import { useHashRoute } from '../../hooks/useHashRoute';
import { useLedgerZone } from '../../hooks/useLedgerZone';
import { useProviderChoices } from '../../hooks/useProviderNames';
import { PriceLookup } from './PriceLookup';

/**
 * Prices: the models whose usage has no price (what the "unpriced usage" warning is about), a
 * look-up of any model's price, a form to give one its price, your own prices with a way to
 * remove each, and the whole catalogue.
 */
export function Prices() {
  const route = useHashRoute();
  const fromRoute = route.surface === 'window' ? route : undefined;
  const { providers, names, choices: listed } = useProviderChoices();
  const unpriced = useCall('unpricedModels', {});
  const zone = useLedgerZone();
  // Every entry of the catalogue: your own prices (listed with a Remove) and the whole list.
  const overrides = useCall('prices', {});
  const [chosen, setChosen] = useState<{ provider: string; model: string }>();

  const models = unpriced.data?.models ?? [];
  // A link for one provider ("Set a price" on its warning) opens its model when it has just one.
  const ofRouteProvider = models.filter((m) => m.provider === fromRoute?.provider);
  const target = chosen ?? (fromRoute?.model ? { provider: fromRoute.provider ?? '', model: fromRoute.model } : ofRouteProvider.length === 1 ? ofRouteProvider[0] : undefined);
  const provider = target?.provider || fromRoute?.provider;

  // The Subscriptions card's list (useProviderChoices), and on purpose one more kind: the provider an
  // unpriced model was used under when the core lists no such provider (usage recorded as "together"),
  // so its "Set a price" opens the form on that provider rather than on another one.
  const choices = [...(listed ?? [])];
  for (const m of models) if (!choices.some((c) => c.provider === m.provider)) choices.push({ provider: m.provider, name: providerName(m.provider, names) });

  // A new form for each model picked, but not when a save empties the list (its answer stays shown).
  const formKey = `${chosen?.provider ?? fromRoute?.provider ?? ''}/${chosen?.model ?? fromRoute?.model ?? ''}`;
  const formRef = useOpenedBy<HTMLDivElement>(fromRoute?.action === 'price' || chosen !== undefined, providers.data !== undefined && unpriced.data !== undefined);
  const reload = () => {
    unpriced.reload();
    overrides.reload();
  };

  return (
    <div className="stack">
      <Card title="Usage without a price">
        <ErrorNote error={unpriced.error} onRetry={unpriced.reload} />
        {!unpriced.data ? (
          <Loading />
        ) : models.length === 0 ? (
          <EmptyState title="Every model has a price">Usage of a model Burnrate has no price for shows here, kept out of the totals until you give it one.</EmptyState>
        ) : (
          <Table columns={['Provider', 'Model', right('Rows'), 'Last used', ACTIONS]}>
            {models.map((m) => (
              <tr key={`${m.provider}/${m.model}`} className={target?.provider === m.provider && target.model === m.model ? 'row-focus' : undefined}>
                <td>{providerName(m.provider, names)}</td>
                <td className="mono">{m.model}</td>
                <td className="right num">{m.events}</td>
                <td className="nowrap num">{localDateTime(m.lastSeenAt, zone)}</td>
                <td className="right">
                  <button type="button" className="btn btn-small btn-secondary" onClick={() => setChosen({ provider: m.provider, model: m.model })}>
                    Set a price
                  </button>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Card>
      <PriceLookup entries={overrides.data?.entries ?? []} />
      <div ref={formRef}>
        <Card title={target ? `Price for ${target.model}` : 'Set a price'}>
          {providers.data ? <PriceForm key={formKey} providers={choices} provider={provider} model={target?.model} onSaved={reload} /> : <Loading />}
        </Card>
      </div>
      <Overrides entries={overrides.data?.entries.filter((e) => e.origin === 'override') ?? []} loaded={overrides.data !== undefined} names={names} onChanged={reload} />
      <PriceCatalogue list={overrides.data} names={names} />
    </div>
  );
}

function Overrides({ entries, loaded, names, onChanged }: { entries: { provider: string; model: string; perMillion: { input: string; output: string } }[]; loaded: boolean; names: ReadonlyMap<string, string>; onChanged: () => void }) {
  const remove = useAction('priceRemove');
  const [confirm, setConfirm] = useState<string>();
  const [done, setDone] = useState<string>();
  const run = async (model: string) => {
    setConfirm(undefined);
    const result = await remove.run({ model });
    if (!result) return;
    setDone(`Removed your price for ${result.model}; ${result.fallsBackTo ? `the bundled price (${result.fallsBackTo}) applies to new usage` : 'new usage of it has no price'}.`);
    onChanged();
  };
  return (
    <Card title="Your prices">
      {!loaded ? <Loading /> : null}
      {loaded && entries.length === 0 ? <EmptyState title="No prices of your own">A price you set wins over the bundled one from then on.</EmptyState> : null}
      {entries.length > 0 ? (
        <Table columns={['Provider', 'Model', right('Input / 1M'), right('Output / 1M'), ACTIONS]}>
          {entries.map((e) => (
            <tr key={`${e.provider}/${e.model}`}>
              <td>{providerName(e.provider, names)}</td>
              <td className="mono">{e.model}</td>
              <td className="right num">{exactUsd(e.perMillion.input)}</td>
              <td className="right num">{exactUsd(e.perMillion.output)}</td>
              <td className="right nowrap">
                <ConfirmRemove
                  asking={confirm === e.model}
                  busy={remove.busy}
                  label={`Remove your price for ${e.model}`}
                  onAsk={() => setConfirm(e.model)}
                  onKeep={() => setConfirm(undefined)}
                  onRemove={() => run(e.model)}
                />
              </td>
            </tr>
          ))}
        </Table>
      ) : null}
      <ErrorNote error={remove.error} />
      {done ? <SuccessNote>{done}</SuccessNote> : null}
    </Card>
  );
}

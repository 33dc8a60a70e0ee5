import { useMemo, useState, type FormEvent } from 'react';
import type { SubscriptionPreview } from '../../../../src/api/contract/odometer';
import type { Input } from '../../api';
import type { CallError } from '../../api/errors';
import { formatMoney } from '../../format/money';
import { useAction, useCall } from '../../hooks/useCall';
import { useProviderChoices } from '../../hooks/useProviderNames';
import { refusedField, useFieldErrors } from '../../hooks/useFieldErrors';
import { ConfirmRemove } from '../ConfirmRemove';
import { Card, EmptyState, ErrorNote, SuccessNote } from '../Feedback';
import { Field } from '../Field';
import { Money } from '../Money';
import { filedUnderOwnName } from '../../../../src/model/provider-slug';
import { providerName } from '../providers';
import { validateAmount } from '../reading';
import { ACTIONS, right, Table } from '../Table';

const PURGE = { ask: 'Delete…', yes: 'Delete with its fees', keep: 'Keep' };
/** The provider picker's last choice: a provider the list does not have, typed as the CLI's --provider takes it. */
const ANOTHER = '+another'; // no provider's name: they are lower-case letters, digits, - . _

type Draft = { name: string; monthly: string; day: string; since: string; provider: string };
/** subscriptionAdd's input names → the draft's fields, for a refusal about one of them. */
const DRAFT_FIELDS: Partial<Record<string, keyof Draft>> = { name: 'name', monthly: 'monthly', day: 'day', since: 'since', provider: 'provider' };

/** The subscription the draft describes, or the sentence per field that says what to fix. */
export function checkDraft(d: Draft, typed = false): { input: Input<'subscriptionAdd'> } | { errors: Partial<Record<keyof Draft, string>> } {
  const errors: Partial<Record<keyof Draft, string>> = {};
  if (!d.name.trim()) errors.name = 'Name the subscription, such as ChatGPT Plus.';
  const amount = validateAmount(d.monthly, 'fee');
  if ('error' in amount) errors.monthly = amount.error;
  // In the form's order: its first wrong field is the one shown (useFieldErrors).
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.since)) errors.since = 'Choose the first day it counts.';
  if (!/^\d+$/.test(d.day.trim()) || Number(d.day) < 1 || Number(d.day) > 31) errors.day = 'A day of the month, 1 to 31.';
  if (typed && !d.provider.trim()) errors.provider = "Type the provider's name, such as qwen.";
  else if (d.provider.trim() && !/^[a-z0-9][a-z0-9._-]{0,39}$/.test(d.provider.trim())) errors.provider = 'Lower-case letters, digits, - . _ (such as qwen), at most 40.';
  if (Object.keys(errors).length > 0 || 'error' in amount) return { errors };
  return {
    input: { name: d.name.trim(), monthly: amount.amount, day: Number(d.day), since: d.since, ...(d.provider.trim() ? { provider: d.provider.trim() } : {}) },
  };
}

/**
 * Flat monthly subscriptions: the list (end one today, or delete it with every row it made) and the
 * form to add one, which asks from when it counts and shows, before saving, what it does to today's
 * and this month's figures (subscriptionPreview: a read, nothing saved).
 */
/**
 * A refusal the preview foresees, said before anything was tried: the save's own sentence ("…;
 * nothing was added") would report an attempt that was not made.
 */
function previewSaid(error: CallError | undefined): string | undefined {
  if (error?.reason === 'provider_name_needed') {
    // The core's sentence says to name the provider; here that is the picker's last choice.
    return `No provider name can be made from “${(error.facts as { name?: string }).name}”: pick its provider, or “Another provider…” and type one.`;
  }
  if (error?.reason !== 'subscription_exists') return error?.message;
  const { name, subscriptionId } = error.facts as { name?: string; subscriptionId?: number };
  return `“${name}” is already tracked as subscription #${subscriptionId}: to change it, end it in the Subscriptions list first.`;
}

export function SubscriptionsCard({ today, provider: routeProvider, opened, cardRef }: { today: string; provider?: string | undefined; opened?: boolean; cardRef?: React.Ref<HTMLDivElement> }) {
  const subs = useCall('subscriptions', {});
  // The same providers the Prices form offers (one list: useProviderChoices).
  const { choices, names } = useProviderChoices();
  const add = useAction('subscriptionAdd');
  const remove = useAction('subscriptionRemove');
  const [draft, setDraft] = useState<Draft>({ name: '', monthly: '', day: String(Number(today.slice(8, 10)) || 1), since: today, provider: '' });
  // A provider the list does not offer (or a name with no letter a provider name can be made of): typed.
  const [typed, setTyped] = useState(false);
  const form = useFieldErrors<keyof Draft>(add, DRAFT_FIELDS);
  const [confirmPurge, setConfirmPurge] = useState<number>();
  const checked = useMemo(() => checkDraft(draft, typed), [draft, typed]);
  const ready = 'input' in checked;
  const preview = useCall('subscriptionPreview', ready ? checked.input : undefined, { skip: !ready, refreshOn: ['statusChanged'] });
  const list = subs.data?.subscriptions ?? [];
  // The preview refuses what the save would ("already tracked"): at its field, as the save's refusal is.
  const previewField = ready ? refusedField(preview.error, DRAFT_FIELDS) : undefined;
  const errorOf = (key: keyof Draft) => form.errorOf(key) ?? (previewField === key ? previewSaid(preview.error) : undefined);
  const set = (key: keyof Draft) => form.onEdit(key, (value) => setDraft((d) => ({ ...d, [key]: value })));
  const pickProvider = form.onEdit('provider', (value) => {
    setTyped(value === ANOTHER);
    setDraft((d) => ({ ...d, provider: value === ANOTHER ? '' : value }));
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!form.check('errors' in checked ? checked.errors : {}) || !ready) return;
    const result = await add.run(checked.input);
    if (!result) return;
    form.setDone(`Added ${result.name}: ${formatMoney(result.monthlyUsd)} a month from ${result.startedOn}, charged on day ${result.dayOfMonth}.`);
    setDraft({ ...draft, name: '', monthly: '', provider: '' });
    setTyped(false);
    subs.reload();
  };
  const end = async (id: number, purge: boolean) => {
    setConfirmPurge(undefined);
    form.setDone(undefined);
    const result = await remove.run({ id, purge });
    if (!result) return;
    form.setDone(purge ? `Deleted ${result.subscription.name} and every fee it had added.` : `${result.subscription.name} ends today; its past months keep their fee.`);
    subs.reload();
  };

  return (
    <div ref={cardRef} id="subscriptions">
      <Card title="Subscriptions" actions={subs.data && list.length > 0 ? <span className="muted small">Total {formatMoney(subs.data.monthlyTotalUsd)} a month</span> : null}>
        <ErrorNote error={subs.error ?? remove.error} />
        {subs.data && list.length === 0 ? <EmptyState title="No subscriptions">Flat fees such as ChatGPT Plus or Claude Pro count in every month they run.</EmptyState> : null}
        {list.length > 0 ? (
          <Table scroll columns={['Name', 'Provider', right('Monthly'), 'Since', 'Next charge', ACTIONS]}>
            {list.map((s) => (
              <tr key={s.id} className={`${s.active ? '' : 'row-muted'}${opened && routeProvider === s.provider ? ' row-focus' : ''}`.trim() || undefined}>
                <td>{s.name}</td>
                {/* Filed under a provider (OpenAI, or a typed qwen) it names it; under its own slug the name says it all. */}
                <td className={filedUnderOwnName(s) ? 'muted' : undefined} title={s.provider}>
                  {filedUnderOwnName(s) ? 'Its own' : providerName(s.provider, names)}
                </td>
                <td className="right">
                  <Money usd={s.monthlyUsd} />
                </td>
                <td className="num nowrap">{s.startedOn}</td>
                <td className="num nowrap">{s.nextChargeOn ?? (s.endedOn ? `ended ${s.endedOn}` : '—')}</td>
                <td className="right">
                  {/* The buttons wrap under each other in a narrow window rather than leave the card. */}
                  <div className="row-actions">
                  {s.active ? (
                    <button type="button" className="btn btn-small btn-ghost" disabled={remove.busy} onClick={() => end(s.id, false)}>
                      End today
                    </button>
                  ) : null}
                  <ConfirmRemove
                    asking={confirmPurge === s.id}
                    busy={remove.busy}
                    label={`Delete ${s.name} and every fee it added`}
                    words={PURGE}
                    onAsk={() => setConfirmPurge(s.id)}
                    onKeep={() => setConfirmPurge(undefined)}
                    onRemove={() => void end(s.id, true)}
                  />
                  </div>
                </td>
              </tr>
            ))}
          </Table>
        ) : null}
        <form ref={form.formRef} className="action-form" onSubmit={submit} noValidate aria-label="Add a subscription">
          <div className="form-row">
            <Field label="Name" error={errorOf('name')} className="grow">
              <input type="text" value={draft.name} onChange={set('name')} placeholder="ChatGPT Plus" />
            </Field>
            <Field label="Monthly fee (USD)" error={errorOf('monthly')} className="field-amount">
              <input type="text" inputMode="decimal" value={draft.monthly} onChange={set('monthly')} placeholder="20.00" />
            </Field>
          </div>
          <div className="form-row">
            <Field label="Counts from" error={errorOf('since')} hint="Its whole fee counts in every month from this one.">
              <input type="date" value={draft.since} max={today} onChange={set('since')} />
            </Field>
            <Field label="Charged on day" error={errorOf('day')}>
              <input type="number" min={1} max={31} value={draft.day} onChange={set('day')} />
            </Field>
            {/* Picked by name: filed under a provider, its fee counts in that provider's figures. Only
                one the list lacks is typed (as the CLI's --provider), and the name its figures go under. */}
            <Field label="Provider (optional)" error={typed ? undefined : errorOf('provider')} hint="Whose figures its fee counts in.">
              <select value={typed ? ANOTHER : draft.provider} onChange={pickProvider}>
                <option value="">Its own (by its name)</option>
                {(choices ?? []).map((p) => (
                  <option key={p.provider} value={p.provider}>
                    {p.name}
                  </option>
                ))}
                <option value={ANOTHER}>Another provider…</option>
              </select>
            </Field>
            {typed ? (
              <Field label="Provider name" error={errorOf('provider')} hint="As its figures are filed: lower-case letters, digits, - . _ (such as qwen).">
                <input type="text" value={draft.provider} onChange={set('provider')} placeholder="qwen" autoComplete="off" spellCheck={false} />
              </Field>
            ) : null}
          </div>
          <PreviewNote preview={ready ? preview.data : undefined} stale={!preview.fresh} />
          {ready && preview.error && !previewField ? <ErrorNote error={preview.error} /> : null}
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={add.busy || (ready && preview.error !== undefined)}>
              {add.busy ? 'Saving…' : 'Add subscription'}
            </button>
          </div>
          <ErrorNote error={form.refusal} />
          {form.done ? <SuccessNote>{form.done}</SuccessNote> : null}
        </form>
      </Card>
    </div>
  );
}

const HEALTH_WORD: Record<string, string> = { good: 'within budget', warning: 'getting close', critical: 'into the reserve', exceeded: 'over budget' };

/** Before saving: today's and this month's figures as they are and as they would be. */
function PreviewNote({ preview, stale }: { preview: SubscriptionPreview | undefined; stale: boolean }) {
  if (!preview) return null;
  const worse = (p: { healthBefore: string | null; healthAfter: string | null }) => p.healthAfter !== null && p.healthAfter !== p.healthBefore && p.healthAfter !== 'good';
  const alarming = worse(preview.today) || worse(preview.month) || (preview.cap !== null && preview.cap.healthAfter !== preview.cap.healthBefore);
  return (
    <div className={`preview note ${alarming ? 'note-warning' : 'note-info'}${stale ? ' preview-stale' : ''}`} role="status" aria-label="What saving it does">
      <p>{preview.summary}</p>
      <dl className="preview-figures">
        {[
          ['Today', preview.today],
          ['This month', preview.month],
        ].map(([label, p]) => {
          const period = p as SubscriptionPreview['today'];
          return (
            <div key={label as string}>
              <dt>{label as string}</dt>
              <dd>
                {formatMoney(period.spentUsd)} → <strong>{formatMoney(period.afterUsd)}</strong>
                {period.budgetUsd ? (
                  <span className="muted small">
                    {' '}
                    of {formatMoney(period.budgetUsd)}
                    {period.healthAfter ? ` · ${HEALTH_WORD[period.healthAfter]}` : ''}
                  </span>
                ) : null}
              </dd>
            </div>
          );
        })}
      </dl>
    </div>
  );
}

import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useConfirmFocus } from '../../hooks/useConfirmFocus';
import type { BudgetView, CapView, ProjectCapView } from '../../../../src/api/contract/budget';
import { Card, EmptyState, ErrorNote, SuccessNote } from '../../components/Feedback';
import { Field } from '../../components/Field';
import { HealthBadge } from '../../components/Health';
import { Money } from '../../components/Money';
import { SaveButton } from '../../components/SaveButton';
import { ACTIONS, right, Table } from '../../components/Table';
import { formatMoney, isUsdString } from '../../format/money';
import { formatPct } from '../../format/numbers';
import { useAction } from '../../hooks/useCall';
import { PROJECT_NAME } from '../../../../src/model/input-patterns';
import { noteOf, type NoteTurn } from './noteTurn';

/**
 * A cap's figures and its Remove…, the same for a provider's and a project's cap. Remove… asks
 * first ("Remove cap" or "Keep", as a subscription's Delete… does) with the focus on Keep, the
 * safe answer; Keep (or Escape), or a removal that failed, hands the focus back to Remove…. `onRemove` says
 * whether the cap went.
 */
export function CapCells({
  cap,
  title,
  busy,
  onRemove,
}: {
  cap: Pick<CapView, 'spentUsd' | 'capUsd' | 'usedPct' | 'health'>;
  /** The cap as a sentence names it: "OpenAI cap", 'project "web" cap'. */
  title: string;
  busy: boolean;
  onRemove: () => Promise<boolean>;
}) {
  const [asking, setAsking] = useState(false);
  const { askRef, answerRef, scope } = useConfirmFocus(asking, () => setAsking(false));
  const remove = async () => {
    if (!(await onRemove())) setAsking(false);
  };
  return (
    <>
      <td className="right">
        <Money usd={cap.spentUsd} />
      </td>
      <td className="right">
        <Money usd={cap.capUsd} />
      </td>
      <td className="right num">{formatPct(cap.usedPct)}</td>
      <td>
        <HealthBadge health={cap.health} />
      </td>
      <td className="right">
        <div className="row-actions">
          {asking ? (
            <>
              <button {...scope} type="button" className="btn btn-small btn-danger" onClick={() => void remove()} disabled={busy} aria-busy={busy}>
                Remove cap
              </button>
              <button {...scope} ref={answerRef} type="button" className="btn btn-small btn-ghost" onClick={() => setAsking(false)}>
                Keep
              </button>
            </>
          ) : (
            <button ref={askRef} type="button" className="btn btn-small btn-ghost" onClick={() => setAsking(true)} disabled={busy} aria-label={`Remove the ${title}…`}>
              Remove…
            </button>
          )}
        </div>
      </td>
    </>
  );
}

/**
 * Where the focus goes once a removed cap's row is gone, instead of falling to the page (which sends
 * a keyboard user back to the top): the Remove… of the row that took its place, else of the row
 * above, else the first field of the card's form. `rows` are the caps' keys in table order;
 * `container` holds the card.
 */
export function useFocusAfterRemoval(container: RefObject<HTMLElement | null>, rows: readonly string[]) {
  const removed = useRef<{ key: string; index: number }>(undefined);
  const listed = rows.join('\n');
  useEffect(() => {
    const gone = removed.current;
    if (!gone || rows.includes(gone.key)) return;
    removed.current = undefined;
    const card = container.current;
    const left = card ? [...card.querySelectorAll('tbody tr')] : [];
    const row = left[Math.min(gone.index, left.length - 1)];
    (row?.querySelector<HTMLElement>('button') ?? card?.querySelector<HTMLElement>('form input, form select'))?.focus();
    // `listed` stands for `rows`: a new array each render, the same caps.
  }, [listed]);
  return {
    /** Call before removing the cap `key`; `failed` after a removal that did not happen. */
    removing: (key: string) => (removed.current = { key, index: rows.indexOf(key) }),
    failed: () => (removed.current = undefined),
  };
}

/** What setting a cap says: one sentence with the figure as stored ("$6.005" is not "$6.01"), and the one it replaced. */
export function capSetNote(title: string, usd: string, was: string | undefined): string {
  const replaced = was !== undefined && was !== usd ? ` (it was ${formatMoney(was, { exact: true })})` : '';
  return `Set the ${title} to ${formatMoney(usd, { exact: true })} a month${replaced}.`;
}

/** What removing a cap says, with the figure it had. */
export function capRemovedNote(title: string, usd: string): string {
  return `Removed the ${title} of ${formatMoney(usd, { exact: true })} a month.`;
}

/**
 * Monthly caps per project: the project a request names (X-Burnrate-Project or /p/NAME/ on the
 * proxy) or an agent log's project. Health and alerts as a provider cap; what the proxy does at
 * each is chosen with the other budgets' policies.
 */
export function ProjectCapsCard({ view, onSaved, turn }: { view: BudgetView; onSaved: () => void; turn?: NoteTurn }) {
  const [project, setProject] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<{ project?: string; amount?: string }>({});
  const [done, setDone] = useState<string>();
  const save = useAction('budgetSet');
  const cardRef = useRef<HTMLDivElement>(null);
  const focus = useFocusAfterRemoval(cardRef, view.projectCaps.map((c) => c.project));
  const say = (text: string) => {
    setDone(text);
    turn?.take('project-caps');
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const name = project.trim();
    const cap = amount.trim().replace(/^\$/, '');
    const next: typeof errors = {};
    if (!PROJECT_NAME.test(name)) next.project = 'Enter the project name as requests give it: 1 to 100 letters, digits, spaces or . @ : / - _';
    if (!isUsdString(cap) || cap.startsWith('-') || Number(cap) === 0) next.amount = 'Enter the monthly cap in US dollars, such as 20.00.';
    setErrors(next);
    setDone(undefined);
    if (Object.keys(next).length > 0) return;
    const was = view.projectCaps.find((c) => c.project === name)?.capUsd;
    const result = await save.run({ project: name, monthly: cap });
    if (!result) return;
    setProject('');
    setAmount('');
    say(capSetNote(`project "${name}" cap`, result.projectCaps.find((c) => c.project === name)?.capUsd ?? cap, was));
    onSaved();
  };
  const remove = async (cap: ProjectCapView): Promise<boolean> => {
    setDone(undefined);
    focus.removing(cap.project);
    if (!(await save.run({ project: cap.project, monthly: null }))) {
      focus.failed();
      return false;
    }
    say(capRemovedNote(`project "${cap.project}" cap`, cap.capUsd));
    onSaved();
    return true;
  };

  return (
    <div ref={cardRef} id="project-caps">
      <Card title="Project caps">
        {view.projectCaps.length === 0 ? (
          <EmptyState title="No project caps">
            A project cap limits the spend filed under one project in a month: requests through the proxy with the header X-Burnrate-Project or the path /p/NAME/, and
            coding agents' logs of that project.
          </EmptyState>
        ) : (
          <Table columns={['Project', right('Spent'), right('Cap'), right('Used'), 'Health', ACTIONS]}>
            {view.projectCaps.map((c) => (
              <tr key={c.project}>
                <td>{c.project}</td>
                <CapCells cap={c} title={`project "${c.project}" cap`} busy={save.busy} onRemove={() => remove(c)} />
              </tr>
            ))}
          </Table>
        )}
        <form className="form-row" onSubmit={submit} noValidate aria-label="Add a project cap">
          <Field label="Project" error={errors.project}>
            <input type="text" value={project} onChange={(e) => setProject(e.target.value)} placeholder="web-app" />
          </Field>
          <Field label="Monthly cap (USD)" error={errors.amount}>
            <input type="text" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="20.00" />
          </Field>
          <SaveButton busy={save.busy}>Set project cap</SaveButton>
        </form>
        <ErrorNote error={save.error} />
        {noteOf(turn, 'project-caps', done) ? <SuccessNote>{done}</SuccessNote> : null}
      </Card>
    </div>
  );
}

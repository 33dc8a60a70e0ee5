import type { PerMillionUsd, PriceEntryView, PriceList, PriceRemoveResult, PriceSetResult } from '../../api/contract/pricing';
import { defined, runMethod, type Register } from '../context';
import { table, usd } from '../format';

const BILLED_AS_INPUT = 'as input';

function amounts(p: PerMillionUsd): string {
  const parts = [`input ${usd(p.input)}`, `output ${usd(p.output)}`];
  parts.push(`cached input ${p.cachedInput === null ? BILLED_AS_INPUT : usd(p.cachedInput)}`);
  parts.push(`cache write ${p.cacheWrite === null ? BILLED_AS_INPUT : usd(p.cacheWrite)}`);
  if (p.cacheWrite1h !== null) parts.push(`1-hour cache write ${usd(p.cacheWrite1h)}`);
  return parts.join(', ');
}

function flags(e: PriceEntryView): string {
  const f: string[] = [];
  if (e.origin === 'override') f.push('yours');
  if (!e.active) f.push('overridden');
  if (e.tiers.length) f.push(e.tiers.map((t) => `>${t.aboveTokens / 1000}k tier`).join(' '));
  if (e.timeOfDay) f.push('peak/off-peak');
  if (e.earlier.length) f.push('price changed');
  if (e.confidence === 'likely' || e.confidence === 'unconfirmed') f.push(e.confidence);
  return f.join(', ');
}

function formatList(list: PriceList): string {
  if (list.entries.length === 0) return 'No prices for that provider.';
  const cell = (v: string | null) => (v === null ? '—' : usd(v));
  const rows = list.entries.map((e) => [
    e.provider,
    e.model,
    cell(e.perMillion.input),
    cell(e.perMillion.output),
    cell(e.perMillion.cachedInput),
    cell(e.perMillion.cacheWrite),
    flags(e),
  ]);
  return [
    table([['provider', 'model', 'input', 'output', 'cached', 'cache write', ''], ...rows], [2, 3, 4, 5]),
    '',
    `USD per million tokens; — means billed as input. Bundled prices as of ${list.bundledAsOf} (burnrate prices MODEL shows sources).`,
    'Models without a price are recorded as unpriced, never $0: burnrate prices set MODEL --provider P --input USD --output USD.',
  ].join('\n');
}

function formatMatch(list: PriceList): string {
  const m = list.match;
  const e = list.entries[0];
  if (!m || !e) return formatList(list);
  const lines = [m.explanation];
  const when = [
    m.period,
    m.tierAboveTokens !== null
      ? `prompt above ${m.tierAboveTokens.toLocaleString('en-US')} tokens`
      : e.tiers.length > 0
        ? `prompt of ${m.promptTokens.toLocaleString('en-US')} tokens`
        : null,
    m.earlierUntil !== null ? `the price before ${m.earlierUntil}` : null,
  ].filter(Boolean);
  const timed = e.timeOfDay !== null || e.earlier.length > 0;
  const context = [...when, timed ? `at ${m.at}` : null].filter(Boolean).join(', ');
  lines.push(`Per million tokens${context ? ` (${context})` : ''}: ${amounts(m.effective)}.`);
  if (e.timeOfDay) {
    lines.push(`Peak: ${amounts(e.perMillion)}.`, `Off-peak: ${amounts(e.timeOfDay.offPeak)}.`, e.timeOfDay.rule);
  }
  for (const t of e.tiers) lines.push(`Prompts above ${t.aboveTokens.toLocaleString('en-US')} tokens: ${amounts(t.perMillion)}.`);
  for (const s of e.earlier) lines.push(`Before ${s.until}: ${amounts(s.perMillion)}.`);
  if (e.aliases.length) lines.push(`Also known as: ${e.aliases.join(', ')}.`);
  lines.push(`Source: ${e.source} (${e.asOf}, ${e.confidence}).`);
  for (const n of e.notes) lines.push(`Note: ${n}`);
  return lines.join('\n');
}

function formatSet(r: PriceSetResult): string {
  const lines = [`Your price for ${r.provider} ${r.model} (per million tokens): ${amounts(r.perMillion)}.`];
  if (r.replacesBundled) lines.push(`It replaces the bundled price of ${r.replacesBundled} for new usage.`);
  if (r.previous) lines.push(`Your previous price was: ${amounts(r.previous)}.`);
  if (r.repricedEvents) lines.push(`Priced ${r.repricedEvents} earlier unpriced usage row${r.repricedEvents === 1 ? '' : 's'}.`);
  return lines.join('\n');
}

function formatRemove(r: PriceRemoveResult): string {
  return `Removed your price for ${r.provider} ${r.model}. ${
    r.fallsBackTo ? `New usage is priced as ${r.fallsBackTo} again.` : 'New usage of it is recorded as unpriced until it has a price.'
  }`;
}

export const registerPricing: Register = (program, ctx) => {
  // Subcommands set and remove, and `show` as the default, so `prices MODEL --provider P` and
  // `prices set MODEL --provider P` each own their --provider (commander gives a parent's options
  // precedence over its subcommands').
  const prices = program.command('prices').description('the price catalogue: list it, show how a model is priced, set or remove your own prices');

  prices
    .command('show', { isDefault: true })
    .description('list every price, or show how one model name is priced (the default: burnrate prices [MODEL])')
    .argument('[model]', 'a model name, e.g. gpt-4o-mini-2024-07-18 or openai/gpt-4o')
    .option('--provider <provider>', 'resolve the name as this provider does (e.g. groq); without MODEL, list only its prices')
    .option('--at <iso>', 'the instant to price (DeepSeek peak hours); default now')
    .option('--prompt-tokens <n>', 'prompt size, to see long-context tiers')
    .option('--json', 'print one JSON document')
    .action(async (model: string | undefined, opts: { provider?: string; at?: string; promptTokens?: string; json?: boolean }) => {
      const { json, ...rest } = opts;
      await runMethod(ctx, 'prices', defined({ model, ...rest }), { json }, (r) => (r.match ? formatMatch(r) : formatList(r)));
    });

  prices
    .command('set')
    .description('set your own price for a model, in USD per million tokens (wins over the bundled price)')
    .argument('<model>', 'the model name')
    .requiredOption('--provider <provider>', 'the provider, e.g. openai')
    .requiredOption('--input <usd>', 'input price per million tokens')
    .requiredOption('--output <usd>', 'output price per million tokens')
    .option('--cached-input <usd>', 'cached-input (cache read) price per million tokens')
    .option('--cache-write <usd>', 'cache-write price per million tokens')
    .option('--json', 'print one JSON document')
    .action(async (model: string, opts: Record<string, string | boolean | undefined>) => {
      const { json, ...rest } = opts;
      await runMethod(ctx, 'priceSet', defined({ model, ...rest }), { json: Boolean(json) }, formatSet);
    });

  prices
    .command('remove')
    .description('remove your own price for a model')
    .argument('<model>', 'the model name')
    .option('--json', 'print one JSON document')
    .action(async (model: string, opts: { json?: boolean }) => {
      await runMethod(ctx, 'priceRemove', { model }, opts, formatRemove);
    });
};

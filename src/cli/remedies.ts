import { fact as f, type ErrorFacts, type Remedies } from '../model/errors';

/**
 * The CLI's remedies, keyed by the domain error's reason (src/model/errors.ts): the domain's sentence
 * says what went wrong, these name the flags and commands that put it right.
 */
const deleteReading = (id: string) => `"burnrate reading delete ${id}"`;
const readingModes = (x: ErrorFacts) =>
  `to type in figures from its console instead, run "burnrate provider set ${f(x, 'provider')} --mode odometer" (month-to-date spend) or "--mode balance" (a prepaid balance).`;
const pricesSet = (x: ErrorFacts) => `"burnrate prices set ${f(x, 'model')} --provider ${f(x, 'provider') || 'P'} --input USD --output USD"`;
const keysSet = (x: ErrorFacts) => `"burnrate keys set ${f(x, 'provider') || 'PROVIDER'}"`;

export const CLI_REMEDIES: Remedies = {
  team_not_joined: () => 'Join one with "burnrate team join postgres://USER@HOST:5432/DBNAME --team NAME --password-stdin".',
  team_store_unreachable: () => 'Then run the command again.',
  time_in_future: () => 'leave out --at for now.',
  provider_takes_no_readings: readingModes,
  reading_lower_than_previous: (x) =>
    x.previousIsLatest === true
      ? `If $${f(x, 'previousUsd')} was mistyped, correct it with "burnrate reading ${f(x, 'provider')} AMOUNT --replace", or delete it with ${deleteReading(f(x, 'previousId'))}.`
      : `If $${f(x, 'previousUsd')} was wrong, delete it with ${deleteReading(f(x, 'previousId'))} first.`,
  reading_higher_than_later: (x) => `Check the time (--at), or delete reading ${f(x, 'laterId')} with ${deleteReading(f(x, 'laterId'))} if it was wrong.`,
  reading_above_final: (x) =>
    `If the final figure was wrong, correct it with "burnrate reading ${f(x, 'provider')} AMOUNT --month ${f(x, 'month')} --final --replace" or delete it with ${deleteReading(f(x, 'finalId'))}.`,
  reading_before_mode: () => 'Give a later time (--at), or record the earlier spend with "burnrate record".',
  final_below_reading: (x) => `To delete reading ${f(x, 'readingId')}: ${deleteReading(f(x, 'readingId'))}.`,
  reading_at_same_time: (x) => `Correct it with --replace or delete it first with ${deleteReading(f(x, 'readingId'))}.`,
  final_figure_exists: () => 'Pass --replace to correct it.',
  final_needs_month: (x) =>
    `add --month YYYY-MM (for example "burnrate reading ${f(x, 'provider')} ${f(x, 'amountUsd')} --month ${f(x, 'suggestedMonth')} --final").`,
  month_needs_final: () => '--month goes with --final; leave out --month for a reading of today.',
  final_takes_no_time: () => 'leave out --at.',
  nothing_to_replace: () => 'leave out --replace.',
  balance_has_no_final: () => 'leave out --month and --final.',
  reading_not_found: () => `list a provider's readings with "burnrate readings PROVIDER".`,
  topup_needs_balance_mode: (x) => `if it is prepaid, run "burnrate provider set ${f(x, 'provider')} --mode balance" first.`,
  budget_zero: () => 'To remove it, give none instead of an amount.',
  budget_negative: () => 'To remove it, give none instead of an amount.',
  override_not_found: () => 'The overrides and their ids: "burnrate override".',
  nothing_to_change: () => 'Pass --mode (api, odometer, balance, subscription, manual) and/or --billing-tz ZONE.',
  bad_billing_tz: () => 'Check --billing-tz.',
  mode_api_unavailable: () => 'Pass --mode odometer, balance, subscription or manual.',
  no_billing_api: (x) => `Track it with readings: "burnrate reading ${f(x, 'provider')} USD".`,
  provider_name_needed: () => 'pass --provider NAME (letters, digits, - . _).',
  subscription_exists: (x) => `To change it, remove it first with "burnrate subscription remove ${f(x, 'subscriptionId')}".`,
  subscription_not_found: () => 'list them with "burnrate subscription list".',
  subscription_already_ended: () => 'pass --purge to delete it and its history.',
  reminder_not_found: () => 'list them with "burnrate reminders".',
  no_price_for_usage: (x) => `Pass --cost USD, or add the price with ${pricesSet(x)}.`,
  no_price_for_model: (x) => `Add the price with ${pricesSet(x)}.`,
  model_ambiguous: () => 'pass --provider to choose one.',
  no_price_override: () => '"burnrate prices" lists your own prices (origin override).',
  nothing_to_set: () => 'Give --daily USD, --monthly USD, --reserve-pct N, or --provider P --monthly USD.',
  cap_needs_monthly: () => 'Give it with --monthly USD (or --monthly none to remove it).',
  cap_with_daily: () => 'Set --daily and --reserve-pct in a separate command, without --provider.',
  channel_not_found: () => 'see "burnrate alerts channel list" for the ids.',
  alert_not_found: () => 'see "burnrate alerts --all" for the ids.',
  range_reversed: () => 'give --from before --to.',
  key_missing: (x) => `Add one with ${keysSet(x)} (it reads the key from standard input).`,
  key_refused: (x) => `Set a new one with ${keysSet(x)}.`,
  key_needs_admin: (x) => `Store it with ${keysSet(x)} (it reads the key from standard input).`,
  // The sync's sentence only says the keychain would not give the key; a terminal user gets the
  // keychain's own diagnosis, commands and all (src/secrets/diagnose.ts), or where to read it.
  key_unreadable: (x) => f(x, 'diagnosis') || `"burnrate keys test ${f(x, 'provider') || 'PROVIDER'}" says what the keychain answered.`,
  key_empty: (x) => `pipe it on standard input, for example: pbpaste | burnrate keys set ${f(x, 'provider') || 'openai'}.`,
};

/**
 * The command that answers a status item or a reminder. Their sentences are stored and shown by
 * the window and notifications too, so they name no command; the CLI appends it when it prints them.
 */
export function commandFor(kind: string, provider?: string, period?: string): string | undefined {
  const p = provider ?? 'PROVIDER';
  switch (kind.replace(/^reminder_/, '')) {
    case 'month_final':
      return `burnrate reading ${p} USD --month ${period ?? 'YYYY-MM'} --final`;
    case 'month_end':
    case 'stale_reading':
      return `burnrate reading ${p} USD`;
    case 'stale':
    case 'sync_pending':
    case 'sync_failed':
      return provider ? `burnrate sync ${provider}` : undefined;
    case 'drift':
      return 'burnrate accuracy';
    case 'unpriced':
      return `burnrate prices set MODEL --provider ${provider ?? 'P'} --input USD --output USD`;
    default:
      return undefined;
  }
}

export function withCommand(message: string, command: string | undefined): string {
  return command ? `${message} (${command})` : message;
}

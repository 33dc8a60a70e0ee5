import { fact as f, type Remedies } from '../model/errors';

/**
 * MCP's remedies, keyed by the domain error's reason (src/model/errors.ts): they name the tools'
 * arguments (replace: true, at, month and final) so the model can correct its call. What no tool
 * can do (delete a reading, change a provider's mode, store a key) is left to the user, in the app.
 */
const inTheApp = 'the user can do that in the Burnrate app or its CLI';

export const MCP_REMEDIES: Remedies = {
  final_below_reading: (x) => `If reading ${f(x, 'readingId')} was wrong, ask the user to delete it (${inTheApp}).`,
  time_in_future: () => 'leave out at for now.',
  provider_takes_no_readings: () => `To enter console figures, its mode must be odometer or balance first; ${inTheApp}.`,
  reading_lower_than_previous: (x) =>
    x.previousIsLatest === true
      ? `If $${f(x, 'previousUsd')} was mistyped, call record_reading again with replace: true to correct it; or ask the user to delete reading ${f(x, 'previousId')} (${inTheApp}).`
      : `If $${f(x, 'previousUsd')} was wrong, ask the user to delete reading ${f(x, 'previousId')} first (${inTheApp}).`,
  reading_higher_than_later: (x) => `Check the at argument, or ask the user to delete reading ${f(x, 'laterId')} if it was wrong.`,
  reading_at_same_time: (x) =>
    x.isLatest === true ? 'Call record_reading with replace: true to correct it, or give another at.' : `Give another at, or ask the user to delete reading ${f(x, 'readingId')} first.`,
  final_figure_exists: () => 'Call record_reading with replace: true (and the same month and final: true) to correct it.',
  reading_above_final: (x) => `If the final figure was wrong, call record_reading with month: "${f(x, 'month')}", final: true and replace: true to correct it.`,
  reading_before_mode: () => 'Give a later at, or record the earlier spend with record_usage.',
  final_needs_month: (x) => `pass month (YYYY-MM, for example ${f(x, 'suggestedMonth')}) with final: true.`,
  month_needs_final: () => "pass month only with final: true (a past month's final figure); leave it out for a reading of today.",
  final_takes_no_time: () => 'leave out at.',
  nothing_to_replace: () => 'leave out replace.',
  balance_has_no_final: () => 'leave out month and final.',
  no_price_for_usage: () => 'pass cost (US dollars) if the cost is known.',
  range_reversed: () => 'give from before to.',
  key_missing: () => `Ask the user to store a key for it (${inTheApp}).`,
  key_refused: () => `Ask the user to store a new key (${inTheApp}).`,
  key_needs_admin: () => `Ask the user to store that key (${inTheApp}).`,
};

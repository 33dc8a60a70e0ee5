/**
 * 016: a failed close step's error as data (docs/month-close.md). Until now `last_error` held one
 * line, "send: the report is still waiting …" or "sync: openai: OpenAI refused the key", and every
 * reader (the window, "needs attention") cut the step's code and the provider back out of it.
 *
 * - error_step: the step whose failure `last_error` is (NULL: `last_error` is a wait's sentence,
 *   not a failure, or there is none). A close resumed after a wait stands at 'finals' with the
 *   wait's sentence, so the step alone could not tell the two apart.
 * - error_provider: the provider whose sync failed, for the sync step.
 *
 * Failures recorded before are split here once, so a close that was stopped at the upgrade reads
 * like one stopped after it.
 */
export const migration016 = {
  version: 16,
  name: 'close_failure',
  sql: `
ALTER TABLE month_closes ADD COLUMN error_step TEXT;
ALTER TABLE month_closes ADD COLUMN error_provider TEXT;
UPDATE month_closes SET error_step = step, last_error = substr(last_error, length(step) + 3)
 WHERE last_error IS NOT NULL AND step != 'done' AND substr(last_error, 1, length(step) + 2) = step || ': ';
UPDATE month_closes
   SET error_provider = substr(last_error, 1, instr(last_error, ': ') - 1), last_error = substr(last_error, instr(last_error, ': ') + 2)
 WHERE error_step = 'sync' AND instr(last_error, ': ') > 1 AND instr(substr(last_error, 1, instr(last_error, ': ') - 1), ' ') = 0;
`,
} as const;

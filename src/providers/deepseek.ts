/**
 * DeepSeek has no cost or usage API, only GET /user/balance (any API key). Burnrate tracks it in
 * balance mode: each sync records the USD balance as a reading, and spend is the drop between
 * readings (a rise is a top-up). Reference: ../shared/providers.md §5.
 *
 * Amounts are strings in whole currency units ("41.27"). An account may hold a CNY balance, a USD
 * balance or both; Burnrate reads the USD one and says plainly that CNY-only accounts are not
 * supported yet (converting would need an exchange rate Burnrate does not have).
 */
import { z } from 'zod';
import { parseUsd } from '../money';
import { configError, malformedError } from '../sync/errors';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage } from './types';
import { failedKeyTest, fetchAnswer, keyTestContext, moneyFrom, USER_AGENT } from './util';

const PROVIDER = 'deepseek';
export const DEEPSEEK_BALANCE_PATH = '/user/balance';
const WHAT = 'the balance';

const balanceAnswer = z.object({
  is_available: z.boolean(),
  balance_infos: z.array(
    z.object({
      currency: z.string(),
      total_balance: z.string(),
      granted_balance: z.string().optional(),
      topped_up_balance: z.string().optional(),
    }),
  ),
});
type BalanceAnswer = z.infer<typeof balanceAnswer>;

export function classifyDeepSeekKey(key: string): KeyKind {
  return key.trim().startsWith('sk-') ? 'normal' : 'unknown';
}

function fetchBalance(ctx: ProviderClientContext): Promise<BalanceAnswer> {
  return fetchAnswer(ctx, {
    provider: PROVIDER,
    headers: { authorization: `Bearer ${ctx.key}`, 'user-agent': USER_AGENT },
    path: DEEPSEEK_BALANCE_PATH,
    schema: balanceAnswer,
    what: WHAT,
  });
}

/** The USD balance in nano-USD, or a SyncError that says why there is none. */
export function usdBalance(answer: BalanceAnswer): number {
  const usd = answer.balance_infos.find((info) => info.currency.toUpperCase() === 'USD');
  if (!usd) {
    const currencies = [...new Set(answer.balance_infos.map((info) => info.currency.toUpperCase()))];
    if (currencies.length === 0) throw malformedError(PROVIDER, WHAT, 'balance_infos is empty');
    throw configError(
      PROVIDER,
      `This DeepSeek account keeps its balance in ${currencies.join(' and ')} only; Burnrate tracks US dollars and does ` +
        'not support CNY-only accounts yet. Meanwhile, enter the balance in dollars by hand as a reading.',
    );
  }
  return moneyFrom(PROVIDER, WHAT, () => parseUsd(usd.total_balance, { label: 'the balance', excessPrecision: 'round' }));
}

export const deepseek: ProviderClient = {
  provider: PROVIDER,
  defaultBaseUrl: 'https://api.deepseek.com',

  classifyKey: classifyDeepSeekKey,

  async testKey(ctx): Promise<KeyTestResult> {
    const kind = classifyDeepSeekKey(ctx.key);
    try {
      const answer = await fetchBalance(keyTestContext(ctx));
      const hasUsd = answer.balance_infos.some((info) => info.currency.toUpperCase() === 'USD');
      const cannot = ['read spend or token usage (DeepSeek has no such API; spend is the drop between balance readings)'];
      if (!hasUsd) cannot.unshift('track this account: its balance is in CNY only, which Burnrate does not support yet');
      return {
        ok: hasUsd,
        kind: 'normal',
        can: hasUsd ? ['read the USD account balance'] : [],
        cannot,
        message: hasUsd
          ? `This key can read the account balance${answer.is_available ? '' : ' (DeepSeek says the balance cannot pay for calls right now)'}.`
          : 'This key works, but the account has no USD balance; Burnrate does not support CNY-only accounts yet.',
        ...(hasUsd ? {} : { errorKind: 'config' }),
      };
    } catch (err) {
      return failedKeyTest(err, kind);
    }
  },

  async *sync(ctx): AsyncIterable<SyncPage> {
    const answer = await fetchBalance(ctx);
    yield { balance: { amountNano: usdBalance(answer), currency: 'USD', at: ctx.clock.now() } };
  },
};

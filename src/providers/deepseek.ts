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
import { configError } from '../sync/errors';
import type { KeyKind, KeyTestResult, ProviderClient, ProviderClientContext, SyncPage, UnreadableRow } from './types';
import { failedKeyTest, fetchAnswer, keyTestContext, moneyValue, readRows, USER_AGENT } from './util';

const PROVIDER = 'deepseek';
export const DEEPSEEK_BALANCE_PATH = '/user/balance';
const WHAT = 'the balance';

// is_available is documented but not needed to read the balance: an answer without it is taken.
// Each balance_infos entry is read on its own, so one unreadable entry does not hide the others.
const balanceAnswer = z.object({
  is_available: z.boolean().nullable().optional(),
  balance_infos: z.array(z.unknown()),
});
type BalanceAnswer = z.infer<typeof balanceAnswer>;

const balanceInfo = z.object({
  currency: z.string(),
  total_balance: z.unknown(),
  granted_balance: z.unknown().optional(),
  topped_up_balance: z.unknown().optional(),
});

/** The one scope of DeepSeek's answer: kept-aside entries are replaced by each new answer. */
const SCOPE = 'balance';

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

/** What DeepSeek's answer says: the USD balance if it has a readable one, the currencies listed, entries kept aside. */
export interface DeepSeekBalance {
  usdNano: number | null;
  currencies: string[];
  aside: UnreadableRow[];
}

/**
 * Read the answer: the USD entry in nano-USD (strings in whole units, read exactly); an entry that
 * cannot be read is kept aside; an empty balance_infos is kept aside as a note (no balance is not
 * a balance of $0). A readable answer with only other currencies is a SyncError that says why.
 */
export function readBalance(answer: BalanceAnswer): DeepSeekBalance {
  const aside: UnreadableRow[] = [];
  const infos = readRows(answer.balance_infos, balanceInfo, SCOPE, (info) => ({
    currency: info.currency.toUpperCase(),
    amount: info.currency.toUpperCase() === 'USD' ? moneyValue(info.total_balance, 'usd', 'total_balance') : null,
  }), aside);
  if (answer.balance_infos.length === 0) {
    aside.push({ scope: SCOPE, position: 0, raw: answer, reason: 'DeepSeek listed no balance (balance_infos is empty), so no balance was recorded.' });
  }
  const usd = infos.find((info) => info.currency === 'USD');
  const currencies = [...new Set(infos.map((info) => info.currency))];
  return { usdNano: usd?.amount ?? null, currencies, aside };
}

/** The USD balance in nano-USD, or a SyncError for an account that keeps only other currencies. */
export function usdBalance(answer: BalanceAnswer): DeepSeekBalance {
  const read = readBalance(answer);
  if (read.usdNano === null && read.currencies.length > 0 && !read.currencies.includes('USD')) {
    throw configError(
      PROVIDER,
      `This DeepSeek account keeps its balance in ${read.currencies.join(' and ')} only; Burnrate tracks US dollars and does ` +
        'not support CNY-only accounts yet. Meanwhile, enter the balance in dollars by hand as a reading.',
    );
  }
  return read;
}

export const deepseek: ProviderClient = {
  provider: PROVIDER,
  defaultBaseUrl: 'https://api.deepseek.com',

  classifyKey: classifyDeepSeekKey,

  async testKey(ctx): Promise<KeyTestResult> {
    const kind = classifyDeepSeekKey(ctx.key);
    try {
      const raw = await fetchBalance(keyTestContext(ctx));
      const answer = readBalance(raw);
      // A key that reads an answer with no balance listed (or an odd entry) still works.
      const hasUsd = answer.currencies.length === 0 || answer.currencies.includes('USD');
      const cannot = ['read spend or token usage (DeepSeek has no such API; spend is the drop between balance readings)'];
      if (!hasUsd) cannot.unshift('track this account: its balance is in CNY only, which Burnrate does not support yet');
      return {
        ok: hasUsd,
        kind: 'normal',
        can: hasUsd ? ['read the USD account balance'] : [],
        cannot,
        message: hasUsd
          ? `This key can read the account balance${raw.is_available !== false ? '' : ' (DeepSeek says the balance cannot pay for calls right now)'}.`
          : 'This key works, but the account has no USD balance; Burnrate does not support CNY-only accounts yet.',
        ...(hasUsd ? {} : { errorKind: 'config' }),
      };
    } catch (err) {
      return failedKeyTest(err, kind);
    }
  },

  async *sync(ctx): AsyncIterable<SyncPage> {
    const read = usdBalance(await fetchBalance(ctx));
    yield {
      ...(read.usdNano !== null ? { balance: { amountNano: read.usdNano, currency: 'USD', at: ctx.clock.now() } } : {}),
      unreadable: { scopes: [SCOPE], rows: read.aside },
    };
  },
};

import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { attentionList } from '../../../src/budget/attention';
import { backoffMs, deliverOutbox } from '../../../src/notify/outbox';
import { spend, tempDir, testCore, type TestCore } from '../../unit/budget/helpers';
import { WebhookServer } from './webhook-server';

let t: TestCore | undefined;
let other: TestCore | undefined;
const servers: WebhookServer[] = [];
afterEach(async () => {
  t?.core.close();
  other?.core.close();
  t = other = undefined;
  for (const s of servers.splice(0)) await s.stop();
});

async function server(): Promise<WebhookServer> {
  const s = new WebhookServer();
  servers.push(s);
  await s.start(0);
  return s;
}

/** Fire one alert (daily budget $1, $2 spent: exceeded). */
async function fireOne(core: TestCore['core']) {
  await dispatch(core, 'budgetSet', { daily: '1' });
  await spend(core, '2');
  const [alert] = (await dispatch(core, 'alerts', {})).alerts;
  return alert!;
}

describe('webhook delivery from the outbox', () => {
  it('delivers exactly once after the server was down (refused, then 500), with backoff', async () => {
    const hook = await server();
    const port = hook.port;
    await hook.stop(); // connection refused from now on
    t = testCore();
    await dispatch(t.core, 'channelAdd', { kind: 'webhook', url: hook.url() });
    const alert = await fireOne(t.core);

    let r = await deliverOutbox(t.core);
    expect(r.attempts).toEqual([expect.objectContaining({ outcome: 'retrying', alertId: alert.id, error: expect.stringMatching(/ECONNREFUSED/) })]);
    expect(r.attempts[0]!.nextAttemptAt).toBe(new Date(t.clock.now().getTime() + 30_000).toISOString());
    expect((await deliverOutbox(t.core)).attempts).toEqual([]); // not due yet

    t.clock.advance(30_000);
    r = await deliverOutbox(t.core);
    expect(r.retrying).toBe(1);
    expect(r.attempts[0]!.nextAttemptAt).toBe(new Date(t.clock.now().getTime() + 60_000).toISOString()); // doubled

    await hook.start(port); // up again, but failing
    hook.answer = { status: 500, body: 'internal error' };
    t.clock.advance(60_000);
    r = await deliverOutbox(t.core);
    expect(r.attempts[0]).toMatchObject({ outcome: 'retrying', error: 'HTTP 500: internal error' });
    expect(hook.received).toHaveLength(1);
    const channels = (await dispatch(t.core, 'channels', {})).channels;
    expect(channels[0]).toMatchObject({ pending: 1, delivered: 0, lastError: 'HTTP 500: internal error' });
    // Three failed tries: status says the channel is not getting through.
    expect(attentionList(t.core).find((a) => a.kind === 'notifications')?.message).toMatch(/webhook channel #1: 1 alert could not be sent yet/);

    hook.answer = { status: 200, body: 'ok' };
    t.clock.advance(120_000);
    r = await deliverOutbox(t.core);
    expect(r.attempts).toEqual([expect.objectContaining({ outcome: 'delivered', alertId: alert.id })]);
    expect(hook.received).toHaveLength(2);
    const body = JSON.parse(hook.received[1]!.body);
    expect(body).toMatchObject({ source: 'burnrate', type: 'alert', level: 'critical', alert: { id: alert.id, rule: 'day_exceeded' } });
    expect(body.message).toBe("Today's spend exceeded the daily budget: $2.00 of $1.00.");

    // Never again: later runs find nothing due.
    for (let i = 0; i < 3; i++) {
      t.clock.advance(6 * 3600_000);
      expect((await deliverOutbox(t.core)).attempts).toEqual([]);
    }
    expect(hook.received).toHaveLength(2);
    expect(attentionList(t.core).some((a) => a.kind === 'notifications')).toBe(false);
    expect((await dispatch(t.core, 'channels', {})).channels[0]).toMatchObject({ pending: 0, delivered: 1, failed: 0 });
  });

  it('keeps an alert across a restart when the app quits before delivering', async () => {
    const hook = await server();
    const home = tempDir();
    t = testCore({ home });
    await dispatch(t.core, 'channelAdd', { kind: 'webhook', url: hook.url() });
    await fireOne(t.core);
    t.core.close(); // quits before any delivery
    t = testCore({ home });
    const r = await deliverOutbox(t.core);
    expect(r.delivered).toBe(1);
    expect(hook.received).toHaveLength(1);
  });

  it('never sends one notification twice when two processes deliver at once', async () => {
    const hook = await server();
    const home = tempDir();
    t = testCore({ home });
    other = testCore({ home });
    await dispatch(t.core, 'channelAdd', { kind: 'webhook', url: hook.url() });
    await fireOne(t.core);
    hook.hold = true;
    const arrived = hook.nextRequest();
    const first = deliverOutbox(t.core);
    await arrived; // the first sender holds the row now
    const second = await deliverOutbox(other.core);
    expect(second.attempts).toEqual([]);
    hook.release();
    expect((await first).delivered).toBe(1);
    expect(hook.received).toHaveLength(1);
  });

  it('honours Retry-After on 429, and gives up at once on a 404', async () => {
    const hook = await server();
    t = testCore();
    await dispatch(t.core, 'channelAdd', { kind: 'discord', url: hook.url('/limited') });
    await dispatch(t.core, 'channelAdd', { kind: 'slack', url: hook.url('/gone') });
    await fireOne(t.core);
    hook.answer = { status: 429, headers: { 'retry-after': '600' }, body: '{"retry_after": 600}' };
    const r = await deliverOutbox(t.core);
    const byKind = Object.fromEntries(r.attempts.map((a) => [a.kind, a]));
    expect(byKind.discord!.outcome).toBe('retrying');
    expect(byKind.discord!.nextAttemptAt).toBe(new Date(t.clock.now().getTime() + 600_000).toISOString());
    expect(byKind.slack!.outcome).toBe('retrying'); // 429 for both here
    hook.answer = { status: 404, body: 'no_service' };
    t.clock.advance(600_000);
    const r2 = await deliverOutbox(t.core);
    expect(r2.attempts.map((a) => [a.kind, a.outcome]).sort()).toEqual([['discord', 'failed'], ['slack', 'failed']]);
    t.clock.advance(24 * 3600_000);
    expect((await deliverOutbox(t.core)).attempts).toEqual([]);
    expect(attentionList(t.core).filter((a) => a.kind === 'notifications')).toHaveLength(2);
  });

  it('speaks each channel kind: Slack, Discord, ntfy and a generic JSON POST', async () => {
    const hook = await server();
    t = testCore();
    for (const kind of ['slack', 'discord', 'ntfy', 'webhook'] as const) await dispatch(t.core, 'channelAdd', { kind, url: hook.url(`/${kind}`) });
    await dispatch(t.core, 'budgetSet', { daily: '10' });
    await spend(t.core, '6.00'); // 75 % of $8 spendable: the 50 % alert, an info
    await deliverOutbox(t.core);
    const by = Object.fromEntries(hook.received.map((r) => [r.path.slice(1), r]));
    expect(Object.keys(by).sort()).toEqual(['discord', 'ntfy', 'slack', 'webhook']);
    expect(JSON.parse(by.slack!.body)).toEqual({ text: "*Burnrate: Daily budget*\nToday's spend reached 50% of the spendable daily budget: $6.00 of $8.00." });
    expect(by.slack!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(by.discord!.body)).toEqual({
      content: "**Burnrate: Daily budget**\nToday's spend reached 50% of the spendable daily budget: $6.00 of $8.00.",
      allowed_mentions: { parse: [] },
    });
    expect(by.ntfy!.body).toBe("Today's spend reached 50% of the spendable daily budget: $6.00 of $8.00.");
    expect(by.ntfy!.headers).toMatchObject({ title: 'Burnrate: Daily budget', priority: '2', tags: 'information_source' });
    expect(JSON.parse(by.webhook!.body)).toMatchObject({ source: 'burnrate', type: 'alert', title: 'Burnrate: Daily budget', level: 'info' });
    expect(hook.received.every((r) => r.method === 'POST')).toBe(true);
  });

  it('tests a channel on demand and redacts its URL everywhere', async () => {
    const hook = await server();
    t = testCore();
    const added = await dispatch(t.core, 'channelAdd', { kind: 'slack', url: hook.url('/services/T000/B000/secretTOKEN1234') });
    expect(added.channel.url).toBe(`http://127.0.0.1:${hook.port}/…1234`);
    expect(JSON.stringify(await dispatch(t.core, 'channels', {}))).not.toContain('secretTOKEN');
    expect(await dispatch(t.core, 'channelTest', { id: added.channel.id })).toMatchObject({ ok: true, error: null });
    hook.answer = { status: 403, body: 'invalid_token' };
    expect(await dispatch(t.core, 'channelTest', { id: added.channel.id })).toMatchObject({ ok: false, error: 'HTTP 403: invalid_token' });
    expect((await dispatch(t.core, 'channelAdd', { kind: 'slack', url: hook.url('/services/T000/B000/secretTOKEN1234') })).created).toBe(false);
    await expect(dispatch(t.core, 'channelAdd', { kind: 'slack', url: 'ftp://example.com/x' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(dispatch(t.core, 'channelAdd', { kind: 'pager', url: hook.url() })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(dispatch(t.core, 'channelRemove', { id: 42 })).rejects.toMatchObject({ code: 'not_found' });
    expect((await dispatch(t.core, 'channelRemove', { id: added.channel.id })).id).toBe(added.channel.id);
    expect((await dispatch(t.core, 'channels', {})).channels).toEqual([]);
  });

  it('backs off exponentially up to six hours', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(20)).toBe(6 * 3600_000);
  });
});

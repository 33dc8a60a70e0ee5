import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../../src/api/dispatch';
import { catchUp } from '../../../src/app/catch-up';
import { openCore, type Core } from '../../../src/app/open';
import { deliverMessages } from '../../../src/notify/messages';
import { fixedClock } from '../../../src/time';
import { tempHome } from '../../helpers/cli';
import { startSmtp, type LocalSmtp } from '../../helpers/smtp';

let smtp: LocalSmtp;
let core: Core | undefined;

beforeAll(async () => {
  smtp = await startSmtp();
});
afterAll(() => smtp.close());
afterEach(() => core?.close());

function open(now: string): Core {
  const home = tempHome('burnrate-channels-');
  return openCore({ home, clock: fixedClock(now), timeZone: 'UTC', env: {}, secrets: null });
}

describe('what each channel receives', () => {
  it('a reminder goes, once, to the email channel that takes reminders and not to the one that does not', async () => {
    core = open('2026-12-02T12:00:00Z');
    await dispatch(core, 'channelAdd', { kind: 'email', url: `smtp://127.0.0.1:${smtp.port}`, to: 'reminded@example.com', reminders: true });
    await dispatch(core, 'channelAdd', { kind: 'email', url: `smtp://127.0.0.1:${smtp.port}`, to: 'quiet@example.com' });
    // Groq's November ended with a reading from mid-month: the odometer asks for its final figure.
    await dispatch(core, 'providerSet', { provider: 'groq', mode: 'odometer' });
    await dispatch(core, 'readingAdd', { provider: 'groq', amount: '4.00', at: '2026-11-14T12:00:00Z' });
    catchUp(core);
    const sent = await deliverMessages(core);
    expect(sent).toMatchObject({ delivered: 1, retrying: 0, failed: 0 });
    const mails = smtp.mails.filter((m) => m.to.includes('reminded@example.com'));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).toMatch(/^Subject: Burnrate: Groq/m);
    expect(smtp.mails.filter((m) => m.to.includes('quiet@example.com'))).toHaveLength(0);
    // The next catch-up raises nothing new: nothing is sent twice.
    catchUp(core);
    expect(await deliverMessages(core)).toMatchObject({ delivered: 0 });
  });

  it('refuses a password inside the SMTP URL and a user without a password, in one sentence each', async () => {
    core = open('2026-12-02T12:00:00Z');
    await expect(dispatch(core, 'channelAdd', { kind: 'email', url: 'smtp://me:secret@mail.example.com:587', to: 'a@example.com' })).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringContaining('not inside the URL'),
    });
    await expect(dispatch(core, 'channelAdd', { kind: 'email', url: 'smtp://me@mail.example.com:587', to: 'a@example.com' })).rejects.toMatchObject({ reason: 'smtp_password_missing' });
    await expect(dispatch(core, 'channelAdd', { kind: 'email', url: 'smtp://mail.example.com:587', to: 'not-an-address' })).rejects.toMatchObject({ message: expect.stringContaining('"not-an-address" is not an email address') });
    await expect(dispatch(core, 'channelAdd', { kind: 'slack', url: 'https://hooks.slack.com/x', to: 'a@example.com' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(((await dispatch(core, 'channels', {})) as { channels: unknown[] }).channels).toEqual([]);
  });
});

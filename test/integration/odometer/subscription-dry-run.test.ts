import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

describe('burnrate subscription add --dry-run', () => {
  it("says what a subscription does to today's and this month's figures, through the read subscriptionPreview, and adds nothing", () => {
    const env = { BURNRATE_HOME: tempHome('burnrate-sub-preview-'), BURNRATE_NOW: '2026-03-12T12:00:00Z', TZ: 'UTC' };
    const preview = burnrate(['subscription', 'add', 'ChatGPT Plus', '--monthly', '31', '--day', '5', '--since', '2026-02-20', '--dry-run'], env);
    expect(preview.code).toBe(0);
    expect(preview.stdout).toBe('Counting from 2026-02-20, ChatGPT Plus adds $1.00 to today, $12.00 to this month and $31.00 to 1 earlier month.\nNothing was added.\n');
    const list = burnrate(['subscription', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toMatchObject({ subscriptions: [], monthlyTotalUsd: '0.00' });
  });
});

import { describe, expect, it } from 'vitest';
import { burnrate, tempHome } from '../../helpers/cli';

describe('burnrate settings', () => {
  it('shows defaults, changes only what is given, and refuses bad values without changing anything', () => {
    const env = { BURNRATE_HOME: tempHome() };
    expect(burnrate(['settings', '--json'], env).json()).toEqual({
      syncIntervalMinutes: 60,
      notificationsPaused: false,
      startAtLogin: false,
      driftThresholdBp: 500,
      proxyEnabled: true,
      proxyPort: null,
    });
    const set = burnrate(['settings', 'set', '--notifications', 'off', '--drift-threshold', '2.5', '--json'], env);
    expect(set.code).toBe(0);
    expect(set.json()).toMatchObject({ notificationsPaused: true, driftThresholdBp: 250, syncIntervalMinutes: 60 });
    const bad = burnrate(['settings', 'set', '--sync-interval', '1'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/at least 5 minutes/);
    expect(burnrate(['settings', '--json'], env).json().syncIntervalMinutes).toBe(60);
    expect(burnrate(['settings', 'set', '--proxy', 'off', '--json'], env).json().proxyEnabled).toBe(false);
    expect(burnrate(['settings', 'set', '--proxy-port', '4400', '--json'], env).json().proxyPort).toBe(4400);
    const low = burnrate(['settings', 'set', '--proxy-port', '80'], env);
    expect(low.code).toBe(2);
    expect(low.stderr).toMatch(/1024 to 65535, or 0 for any free port/);
    expect(burnrate(['settings'], env).stdout).toMatch(/proxy port\s+4400/);
  });
});

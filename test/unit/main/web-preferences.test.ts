import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../../main/lib/csp';
import { secureWebPreferences } from '../../../main/lib/web-preferences';

describe('secureWebPreferences', () => {
  const preload = '/app/dist/main/preload.cjs';

  it('sets every checklist flag, for both windows', () => {
    for (const kind of ['window', 'popover'] as const) {
      const prefs = secureWebPreferences({ preload, devTools: false, kind });
      expect(prefs).toMatchObject({
        preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        experimentalFeatures: false,
        webviewTag: false,
        navigateOnDragDrop: false,
        disableBlinkFeatures: 'Auxclick',
        devTools: false,
      });
      expect(prefs).not.toHaveProperty('enableBlinkFeatures');
      expect(prefs).not.toHaveProperty('additionalArguments');
      expect(Object.isFrozen(prefs)).toBe(true);
    }
  });

  it('differs between the windows only in dev tools and background throttling', () => {
    const a = secureWebPreferences({ preload, devTools: true, kind: 'window' });
    const b = secureWebPreferences({ preload, devTools: false, kind: 'popover' });
    const differing = Object.keys(a).filter((k) => a[k as keyof typeof a] !== b[k as keyof typeof b]);
    expect(differing.sort()).toEqual(['backgroundThrottling', 'devTools']);
  });

  it('refuses a relative preload path', () => {
    expect(() => secureWebPreferences({ preload: 'preload.cjs', devTools: false, kind: 'window' })).toThrow(/absolute/);
  });
});

describe('content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));

  it("allows scripts only from our origin: no eval, no inline", () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|unsafe-inline|\*/);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('is sent with nosniff on every response', () => {
    expect(SECURITY_HEADERS['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(SECURITY_HEADERS['x-content-type-options']).toBe('nosniff');
  });
});

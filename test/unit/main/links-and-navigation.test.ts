import { describe, expect, it } from 'vitest';
import { decideNavigation, decideWindowOpen, permissionAllowed } from '../../../main/lib/navigation';
import { isAppUrl } from '../../../main/lib/pages';
import { EXTERNAL_HOSTS, isSafeExternalUrl } from '../../../main/lib/safe-links';

describe('isSafeExternalUrl', () => {
  it('allows https links to the provider consoles', () => {
    for (const host of EXTERNAL_HOSTS) expect(isSafeExternalUrl(`https://${host}/some/page?x=1#y`), host).toBe(true);
    expect(isSafeExternalUrl('https://console.groq.com/dashboard/usage')).toBe(true);
    expect(isSafeExternalUrl('HTTPS://CONSOLE.GROQ.COM/keys')).toBe(true); // URL lower-cases scheme and host
  });

  it('refuses other schemes', () => {
    for (const url of [
      'http://console.groq.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,<script>alert(1)</script>',
      'smb://console.groq.com/share',
      'ms-msdt:/id PCWDiagnostic',
      'app://burnrate/index.html',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('refuses look-alike hosts, credentials and ports', () => {
    for (const url of [
      'https://console.groq.com.evil.example/',
      'https://evil.example/console.groq.com',
      'https://console.groq.com@evil.example/',
      'https://user:pass@console.groq.com/',
      'https://console.groq.com:8443/',
      'https://groq.com/',
      'https://xn--onsole-7fg.groq.com/',
      'https://сonsole.groq.com/', // Cyrillic "с"
      'https://openrouter.ai./',
    ]) {
      expect(isSafeExternalUrl(url), url).toBe(false);
    }
  });

  it('refuses control characters, spaces, non-strings and oversized input', () => {
    expect(isSafeExternalUrl('https://console.groq.com/\nfoo')).toBe(false);
    expect(isSafeExternalUrl('https://console.\tgroq.com/')).toBe(false);
    expect(isSafeExternalUrl(' https://console.groq.com/')).toBe(false);
    expect(isSafeExternalUrl(undefined)).toBe(false);
    expect(isSafeExternalUrl({ toString: () => 'https://console.groq.com/' })).toBe(false);
    expect(isSafeExternalUrl(`https://console.groq.com/${'a'.repeat(3000)}`)).toBe(false);
    expect(isSafeExternalUrl('')).toBe(false);
  });
});

describe('our own origin', () => {
  it('is app://burnrate and nothing that merely looks like it', () => {
    expect(isAppUrl('app://burnrate/index.html')).toBe(true);
    expect(isAppUrl('app://burnrate/popover.html#/reading?provider=groq')).toBe(true);
    expect(isAppUrl('app://burnrate.evil/index.html')).toBe(false);
    expect(isAppUrl('app://evil@burnrate/')).toBe(false);
    expect(isAppUrl('app://burnrate:81/')).toBe(false);
    expect(isAppUrl('https://burnrate/')).toBe(false);
    expect(isAppUrl('file:///burnrate/index.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });
});

describe('navigation and new windows', () => {
  it('navigation stays within our pages; safe links go to the browser; the rest is refused', () => {
    expect(decideNavigation('app://burnrate/index.html')).toEqual({ action: 'allow' });
    expect(decideNavigation('https://console.groq.com/usage')).toEqual({ action: 'open-external', url: 'https://console.groq.com/usage' });
    expect(decideNavigation('https://evil.example/')).toEqual({ action: 'deny' });
    expect(decideNavigation('file:///etc/passwd')).toEqual({ action: 'deny' });
  });

  it('new windows: our pages become routes of our own windows; nothing opens a new BrowserWindow', () => {
    expect(decideWindowOpen('app://burnrate/index.html#/alerts?alertId=4')).toEqual({
      action: 'show-route',
      route: { surface: 'window', view: 'alerts', alertId: 4 },
    });
    expect(decideWindowOpen('app://burnrate/index.html')).toEqual({ action: 'show-route', route: { surface: 'window', view: 'dashboard' } });
    expect(decideWindowOpen('app://burnrate/index.html#/accounts')).toEqual({ action: 'show-route', route: { surface: 'window', view: 'accounts' } });
    expect(decideWindowOpen('app://burnrate/index.html#/')).toEqual({ action: 'show-route', route: { surface: 'window', view: 'dashboard' } });
    expect(decideWindowOpen('app://burnrate/index.html#/popover?provider=groq&focus=reading')).toEqual({
      action: 'show-route',
      route: { surface: 'popover', focus: 'reading', provider: 'groq' },
    });
    expect(decideWindowOpen('app://burnrate/index.html#/popover')).toEqual({ action: 'show-route', route: { surface: 'popover' } });
    // The old popover names are gone from the one vocabulary: like any unknown name, the dashboard.
    expect(decideWindowOpen('app://burnrate/index.html#/glance')).toEqual({ action: 'show-route', route: { surface: 'window', view: 'dashboard' } });
    expect(decideWindowOpen('app://burnrate/other.html')).toEqual({ action: 'deny' });
    expect(decideWindowOpen('https://platform.openai.com/usage')).toEqual({ action: 'open-external', url: 'https://platform.openai.com/usage' });
    expect(decideWindowOpen('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('refuses every permission except clipboard writes from our own pages', () => {
    expect(permissionAllowed('clipboard-sanitized-write', 'app://burnrate/index.html')).toBe(true);
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'hid', 'serial']) {
      expect(permissionAllowed(permission, 'app://burnrate/index.html'), permission).toBe(false);
    }
  });
});

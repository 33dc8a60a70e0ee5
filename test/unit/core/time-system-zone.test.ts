import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import path from 'node:path';
import { assertTimeZone, resolveTimeZone, systemZoneByLink, zoneOfLink } from '../../../src/time';

/**
 * The user's zone without the first Intl.DateTimeFormat (tens of milliseconds at every open of the
 * ledger): UTC under its usual names, and the system's zone read from the /etc/localtime link. What
 * src/time.ts answers must be what Intl answers.
 */

describe('the system zone from the /etc/localtime link', () => {
  it('is the name after zoneinfo/ exactly when Intl reports that name as it is', () => {
    expect(zoneOfLink('/usr/share/zoneinfo/Europe/Berlin')).toBe('Europe/Berlin');
    expect(zoneOfLink('../usr/share/zoneinfo/America/Sao_Paulo')).toBe('America/Sao_Paulo');
    // A link name Intl reports under another name (ICU's canonical America/Buenos_Aires): Intl is asked.
    expect(zoneOfLink('/usr/share/zoneinfo/America/Argentina/Buenos_Aires')).toBeUndefined();
    expect(zoneOfLink('/var/db/timezone/zoneinfo/Asia/Tokyo')).toBe('Asia/Tokyo'); // macOS
    expect(zoneOfLink('/usr/share/zoneinfo/Etc/UTC')).toBe('UTC');
    // Not certain: Intl is asked instead (a right/ or posix/ tree, a link elsewhere, an unknown name).
    expect(zoneOfLink('/usr/share/zoneinfo/posix/Europe/Berlin')).toBeUndefined();
    expect(zoneOfLink('/etc/my-zone')).toBeUndefined();
    expect(zoneOfLink('/usr/share/zoneinfo/Mars/Olympus_Mons')).toBeUndefined();
    // Every name taken as it is must be one Intl reports as it is, else a link would file days in
    // a zone other than the one Intl (and an older Burnrate) named.
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const taken = zoneOfLink(`/usr/share/zoneinfo/${zone}`);
      if (taken !== undefined) expect(new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone).toBe(taken);
    }
    for (const utc of ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']) {
      expect(zoneOfLink(`/usr/share/zoneinfo/${utc}`)).toBe(new Intl.DateTimeFormat('en-US', { timeZone: utc }).resolvedOptions().timeZone);
    }
  });

  // Debian links Europe/Bratislava to Prague; ICU follows /etc/localtime to its end and says Europe/Prague.
  it.skipIf(!fs.existsSync('/usr/share/zoneinfo/Europe/Bratislava'))('follows a link to a linked zone file to its end, as ICU does', () => {
    const link = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-localtime-')), 'localtime');
    fs.symlinkSync('/usr/share/zoneinfo/Europe/Bratislava', link);
    expect(systemZoneByLink(link)).toBe(zoneOfLink(fs.realpathSync('/usr/share/zoneinfo/Europe/Bratislava')));
    expect(systemZoneByLink(link)).toBe('Europe/Prague');
  });

  it.skipIf(process.platform === 'win32' || !fs.existsSync('/etc/localtime'))('gives the zone Intl gives on this machine when TZ is not set', () => {
    expect(resolveTimeZone({})).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe('UTC under its usual names', () => {
  it('is accepted as TZ without asking Intl, as Intl accepts it', () => {
    for (const name of ['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT']) {
      expect(() => assertTimeZone(name)).not.toThrow();
      expect(resolveTimeZone({ TZ: name })).toBe(name);
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: name })).not.toThrow();
    }
    expect(() => assertTimeZone('Etc/Nowhere')).toThrow(/not known/);
  });
});

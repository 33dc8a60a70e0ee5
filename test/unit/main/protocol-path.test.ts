import fc from 'fast-check';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppRequest, resolveBackupRequest } from '../../../main/lib/protocol-path';

const ROOT = path.resolve('/srv/burnrate/dist/renderer');

describe('app:// path resolution', () => {
  it('serves pages and assets from the renderer folder with their types', () => {
    expect(resolveAppRequest('app://burnrate/', ROOT)).toEqual({ ok: true, file: path.join(ROOT, 'index.html'), mimeType: 'text/html; charset=utf-8' });
    expect(resolveAppRequest('app://burnrate/popover.html#/reading', ROOT)).toMatchObject({ ok: true, file: path.join(ROOT, 'popover.html') });
    expect(resolveAppRequest('app://burnrate/assets/index-abc.js?v=1', ROOT)).toEqual({
      ok: true,
      file: path.join(ROOT, 'assets', 'index-abc.js'),
      mimeType: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppRequest('app://burnrate/assets/my%20font.woff2', ROOT)).toMatchObject({ ok: true, file: path.join(ROOT, 'assets', 'my font.woff2') });
  });

  it('refuses path traversal however it is spelled', () => {
    for (const url of [
      'app://burnrate/assets/..%2f..%2f..%2fetc%2fpasswd',
      'app://burnrate/%2e%2e%2f%2e%2e%2fetc/passwd.txt',
      'app://burnrate/..%2F..%2Fledger.sqlite',
    ]) {
      const result = resolveAppRequest(url, ROOT);
      expect(result.ok, url).toBe(false);
      expect(result).toMatchObject({ status: 403 });
    }
    // Whatever the URL parser folds away stays inside the root.
    const folded = resolveAppRequest('app://burnrate/../../etc/passwd.txt', ROOT);
    expect(folded.ok && folded.file).toBe(path.join(ROOT, 'etc', 'passwd.txt'));
    const encodedDots = resolveAppRequest('app://burnrate/assets/%2E%2E/%2E%2E/secret.json', ROOT);
    expect(encodedDots.ok && encodedDots.file).toBe(path.join(ROOT, 'secret.json'));
  });

  it('refuses backslashes, NUL and broken encodings', () => {
    expect(resolveAppRequest('app://burnrate/..%5c..%5cwin.ini', ROOT)).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppRequest('app://burnrate/index.html%00.png', ROOT)).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppRequest('app://burnrate/%E0%A4%A', ROOT)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses other hosts, schemes and unknown file types', () => {
    expect(resolveAppRequest('app://evil/index.html', ROOT)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest('file:///srv/burnrate/dist/renderer/index.html', ROOT)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest('app://burnrate/ledger.sqlite', ROOT)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest('app://burnrate/assets/', ROOT)).toMatchObject({ ok: false, status: 404 });
    expect(resolveAppRequest('nonsense', ROOT)).toMatchObject({ ok: false, status: 400 });
  });

  it('never resolves outside the root, for any path', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E%2e', '..%2f', '%2f', '%5c', 'assets', 'index.html', 'a.js', '%00', '', '...'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 8 }), (segments) => {
        const result = resolveAppRequest(`app://burnrate/${segments.join('/')}`, ROOT);
        if (result.ok) expect(result.file.startsWith(ROOT + path.sep)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('maps app://burnrate/backups/<name> to that backup in the data folder, a listed name only', () => {
    const home = path.resolve('/home/ann/.config/Burnrate');
    expect(resolveBackupRequest('app://burnrate/backups/ledger-2026-12-01.sqlite', home)).toEqual({
      ok: true,
      file: path.join(home, 'backups', 'ledger-2026-12-01.sqlite'),
      name: 'ledger-2026-12-01.sqlite',
    });
    expect(resolveBackupRequest('app://burnrate/backups/ledger-2026-12-01T101500Z.sqlite', home)).toMatchObject({ ok: true, name: 'ledger-2026-12-01T101500Z.sqlite' });
    // Anything but a backup's name is refused, however it is spelled.
    for (const bad of ['..%2Fledger.sqlite', 'ledger.sqlite', 'ledger-2026-12-01.sqlite%00', 'sub/ledger-2026-12-01.sqlite', '']) {
      expect(resolveBackupRequest(`app://burnrate/backups/${bad}`, home)).toEqual({ ok: false, status: 404 });
    }
    expect(resolveBackupRequest('app://burnrate/backups/%E0%A4%A', home)).toEqual({ ok: false, status: 400 });
    // A dot-dot segment is resolved away by the URL parser: not a backup, and no page either.
    expect(resolveBackupRequest('app://burnrate/backups/%2e%2e/ledger.sqlite', home)).toBeNull();
    expect(resolveAppRequest('app://burnrate/backups/%2e%2e/ledger.sqlite', ROOT)).toMatchObject({ ok: false, status: 404 });
    // Pages are not backups: left to resolveAppRequest.
    expect(resolveBackupRequest('app://burnrate/index.html', home)).toBeNull();
    expect(resolveBackupRequest('app://other/backups/ledger-2026-12-01.sqlite', home)).toBeNull();
  });
});

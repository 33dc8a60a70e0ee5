import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// No sentence written outside the CLI may tell the user to run a CLI command or pass a flag: the
// window, notifications and MCP show them too (src/model/errors.ts says how a transport adds its own).

const ROOT = path.resolve(__dirname, '..', '..', '..');
const SRC = path.join(ROOT, 'src');
const CLI_WORDS = /(?:^|[\s"'`(])--[a-z]|\bburnrate [a-z]/;

/**
 * The few sentences that may name a command, each with why. Keyed by file, then a piece of the
 * literal. Anything else that matches fails the test.
 */
const ALLOWED: Record<string, { piece: string; why: string }[]> = {
  'src/server/index.ts': [
    { piece: 'open the URL that burnrate serve printed', why: "the server's own Host check: only a user of burnrate serve can meet it" },
    { piece: 'the token that burnrate serve printed', why: "the server's own token check, answered to HTTP clients of burnrate serve" },
    { piece: 'the exact URL that burnrate serve printed', why: "the server's own URL-token check" },
    { piece: 'burnrate serve: ', why: "the prefix of serve's own log lines on its stderr" },
    { piece: 'another burnrate serve?', why: "serve's own port error: --port is serve's flag, and only serve binds a port" },
    { piece: 'pass --port', why: "serve's own port errors, printed by serve when it starts" },
  ],
  'src/server/auth.ts': [{ piece: '--token unset', why: "serve's own token option, checked when serve starts" }],
  'src/server/static.ts': [{ piece: 'restart burnrate serve', why: 'the dashboard is served only by burnrate serve; no window can build it' }],
  'src/api/dispatch.ts': [
    { piece: 'the terminal running burnrate serve', why: 'publicApiError: the sentence the HTTP server of burnrate serve sends for an internal error' },
  ],
  'src/secrets/diagnose.ts': [
    { piece: 'gnome-keyring-daemon --start', why: "a system command, not Burnrate's: no Burnrate UI can start the Secret Service" },
    { piece: 'gnome-keyring-daemon --unlock', why: "a system command, not Burnrate's: no Burnrate UI can unlock the keyring" },
  ],
  'src/ledger/migrations/002_readings.ts': [{ piece: '(--replace)', why: 'an SQL comment in a frozen migration, never shown to anyone' }],
  'src/mcp/server.ts': [{ piece: 'burnrate mcp: ', why: 'the prefix of the MCP process\'s own log lines on its stderr' }],
  'src/mcp/stdio.ts': [{ piece: 'burnrate mcp: ', why: 'the prefix of the MCP process\'s own log lines on its stderr' }],
  'src/proxy/admission.ts': [
    { piece: '"burnrate override --usd 5 --for 2h"', why: "the proxy's refusal, sent to an API client (an SDK, Claude Code, Codex) in its terminal, beside the window's Override" },
  ],
  'src/proxy/recorder.ts': [{ piece: 'burnrate proxy: ', why: "the prefix of the proxy's own log lines on its stderr" }],
  'src/proxy/server.ts': [{ piece: 'burnrate proxy: ', why: "the prefix of the proxy's own log lines on its stderr" }],
  'src/proxy/journal.ts': [{ piece: 'burnrate proxy: ', why: "the prefix of the proxy's own log lines on its stderr" }],
  'src/app/proxy-service.ts': [
    { piece: ' (Its port comes from BURNRATE_PROXY_PORT or --proxy-port.)', why: 'added to the log line only (stderr of serve or the app), never to the window\'s message' },
    { piece: ' (Or set BURNRATE_PROXY_PORT, or burnrate settings set --proxy-port N.)', why: 'added to the log line only (stderr of serve or the app), never to the window\'s message' },
  ],
  'src/proxy/team-source.ts': [{ piece: 'burnrate proxy: ', why: "the prefix of the proxy's own log lines on its stderr" }],
};

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return full === path.join(SRC, 'cli') ? [] : sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every piece of literal text in a file: string literals and the fixed parts of templates. */
function literals(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push(node.text);
    }
    // Module specifiers are paths, not sentences.
    if (!ts.isImportDeclaration(node) && !ts.isExportDeclaration(node)) ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The offending literals of src/ outside src/cli that no allowlist entry explains. */
function offenders(): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const rel = path.relative(ROOT, file).split(path.sep).join('/');
    for (const text of literals(file)) {
      if (!CLI_WORDS.test(text)) continue;
      if ((ALLOWED[rel] ?? []).some((a) => text.includes(a.piece))) continue;
      found.push(`${rel}: ${text.slice(0, 160)}`);
    }
  }
  return found;
}

describe('sentences outside the CLI', () => {
  it('name no CLI flag or burnrate command, except the allowed few of the server and the system', () => {
    expect(offenders()).toEqual([]);
  });

  it('the check finds a CLI command in a literal (it would catch a new one)', () => {
    const texts = literals(path.join(ROOT, 'src', 'cli', 'remedies.ts'));
    expect(texts.some((t) => CLI_WORDS.test(t))).toBe(true);
  });

  it('every allowlist entry is still needed', () => {
    for (const [rel, entries] of Object.entries(ALLOWED)) {
      const texts = literals(path.join(ROOT, rel));
      for (const a of entries) expect(texts.some((t) => t.includes(a.piece) && CLI_WORDS.test(t)), `${rel}: ${a.piece}`).toBe(true);
    }
  });
});

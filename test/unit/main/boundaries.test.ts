import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shell's boundaries, checked on the sources (lint says the same; this keeps it true under
 * `npm test` too): main/lib never imports electron at run time, ipcMain appears only in
 * main/ipc.ts, ipcRenderer/contextBridge only in main/preload.ts, shell only in main/safe-open.ts.
 */
const MAIN = path.resolve(__dirname, '../../../main');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Names imported at run time from electron in a file. */
function electronValueImports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const names: string[] = [];
  for (const m of text.matchAll(/import\s+(type\s+)?(\{[^}]*\}|[\w*\s]+?)\s+from\s+'electron(?:\/\w+)?'/g)) {
    if (m[1]) continue;
    const clause = m[2]!;
    if (!clause.startsWith('{')) {
      names.push(clause.trim());
      continue;
    }
    for (const part of clause.slice(1, -1).split(',')) {
      const name = part.trim();
      if (name && !name.startsWith('type ')) names.push(name.split(/\s+as\s+/)[0]!);
    }
  }
  if (/require\(\s*'electron/.test(text)) names.push('require');
  return names;
}

describe('main/ boundaries', () => {
  const files = sources(MAIN);
  const rel = (f: string) => path.relative(MAIN, f).split(path.sep).join('/');

  it('finds the shell sources', () => {
    expect(files.map(rel)).toEqual(expect.arrayContaining(['main.ts', 'preload.ts', 'ipc.ts', 'safe-open.ts', 'lib/ipc-gateway.ts']));
  });

  it('main/lib imports nothing from electron at run time', () => {
    for (const file of files.filter((f) => rel(f).startsWith('lib/'))) expect(electronValueImports(file), rel(file)).toEqual([]);
  });

  it.each([
    ['ipcMain', 'ipc.ts'],
    ['ipcRenderer', 'preload.ts'],
    ['contextBridge', 'preload.ts'],
    ['shell', 'safe-open.ts'],
  ])('%s is imported only by main/%s', (name, owner) => {
    const importers = files.filter((f) => electronValueImports(f).includes(name)).map(rel);
    expect(importers).toEqual([owner]);
  });
});

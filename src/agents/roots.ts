import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AgentName } from '../ledger/agent-billing';

/**
 * Where each agent writes its logs, from the environment (HOME is read from `env`, so tests and
 * `--path` point the importer anywhere), and which files under those roots are logs.
 */

export interface AgentRoot {
  agent: AgentName;
  path: string;
  /** Codex's archived_sessions: a file also in sessions/ is read from there only. */
  archived?: boolean;
}

function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || os.homedir();
}

export function defaultRoots(agent: AgentName, env: NodeJS.ProcessEnv): AgentRoot[] {
  const home = homeOf(env);
  switch (agent) {
    case 'claude-code': {
      // CLAUDE_CONFIG_DIR (a comma-separated list) replaces the default folders.
      const configured = (env.CLAUDE_CONFIG_DIR ?? '').split(',').map((s) => s.trim()).filter(Boolean);
      const dirs = configured.length > 0 ? configured : [path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'claude'), path.join(home, '.claude')];
      return [...new Set(dirs.map((d) => path.join(path.resolve(d), 'projects')))].map((p) => ({ agent, path: p }));
    }
    case 'codex': {
      const base = path.resolve(env.CODEX_HOME || path.join(home, '.codex'));
      return [{ agent, path: path.join(base, 'sessions') }, { agent, path: path.join(base, 'archived_sessions'), archived: true }];
    }
    case 'gemini':
      return [{ agent, path: path.join(path.resolve(env.GEMINI_CLI_HOME || home), '.gemini', 'tmp') }];
  }
}

/** `--path DIR`: DIR may be the agent's home folder or the log folder itself. */
export function rootsAt(agent: AgentName, dir: string): AgentRoot[] {
  const base = path.resolve(dir);
  const inside = (name: string) => fs.existsSync(path.join(base, name));
  switch (agent) {
    case 'claude-code':
      return [{ agent, path: inside('projects') ? path.join(base, 'projects') : base }];
    case 'codex':
      return inside('sessions')
        ? [{ agent, path: path.join(base, 'sessions') }, { agent, path: path.join(base, 'archived_sessions'), archived: true }]
        : [{ agent, path: base }];
    case 'gemini':
      return [{ agent, path: inside('tmp') ? path.join(base, 'tmp') : base }];
  }
}

/** `name`: the file's base name, when the caller has it already (a listing of thousands). */
export function isLogFile(agent: AgentName, file: string, name = path.basename(file)): boolean {
  switch (agent) {
    case 'claude-code':
      return name.endsWith('.jsonl');
    case 'codex':
      return name.startsWith('rollout-') && name.endsWith('.jsonl');
    case 'gemini':
      return file.split(path.sep).includes('chats') && (name.endsWith('.jsonl') || (name.startsWith('session-') && name.endsWith('.json')));
  }
}

export interface Listing {
  files: string[];
  /** Folders that exist but could not be read, each named in one sentence. */
  unreadable: string[];
}

/** Every log file under the roots (a root that does not exist is simply not there). */
export function listLogFiles(roots: readonly AgentRoot[]): Listing {
  const files: string[] = [];
  const unreadable: string[] = [];
  const live = new Set<string>();
  const walk = (dir: string, agent: AgentName, out: string[], isRoot = false) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A root that is a file is named (the logs were looked for there); an absent root is just not there.
      if (code === 'ENOTDIR' && isRoot) unreadable.push(`The log folder ${dir} is a file, not a folder; move it away or import from the folder that holds the logs.`);
      else if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push(`The folder ${dir} could not be read (${code ?? 'error'}); check its permissions.`);
      return;
    }
    // Names from readdir hold no separator and `dir` is already normal: a plain join (path.join
    // normalises each of thousands of paths again, a good part of a re-import's time).
    const prefix = dir.endsWith(path.sep) ? dir : dir + path.sep;
    for (const e of entries) {
      const full = prefix + e.name;
      if (e.isDirectory()) walk(full, agent, out);
      else if (e.isFile() && isLogFile(agent, full, e.name)) out.push(full);
    }
  };
  for (const root of roots.filter((r) => !r.archived)) {
    const found: string[] = [];
    walk(root.path, root.agent, found, true);
    for (const f of found) live.add(path.basename(f));
    files.push(...found);
  }
  for (const root of roots.filter((r) => r.archived)) {
    const found: string[] = [];
    walk(root.path, root.agent, found, true);
    files.push(...found.filter((f) => !live.has(path.basename(f))));
  }
  return { files, unreadable };
}

import fs from 'node:fs';
import { AGENT_NAMES } from '../ledger/agent-billing';
import type { Core } from '../model/context';
import { AgentImporter, type ImportReport } from './importer';
import { defaultRoots } from './roots';

/**
 * Keeps the ledger current while an agent writes its log: the tray app and `burnrate serve` import
 * new lines within seconds, so the tray colour follows a running agent.
 *
 * Two triggers: fs.watch on each root (recursive; immediate where the platform supports it) and a
 * periodic pass that costs one stat per known log (unchanged files are never opened), which also
 * covers roots created later, network folders and platforms where fs.watch misses events.
 * An import already running is never started twice; a trigger during it runs one more pass after.
 */

export const DEFAULT_AGENT_POLL_MS = 2000;
const DEBOUNCE_MS = 150;

export interface AgentWatchOptions {
  intervalMs?: number;
  onError?: (error: unknown) => void;
  onImport?: (report: ImportReport) => void;
}

export interface AgentWatch {
  /** Import now (what the periodic pass does). */
  poke(): void;
  stop(): void;
}

export function watchAgentLogs(core: Core, options: AgentWatchOptions = {}): AgentWatch {
  const importer = new AgentImporter(core);
  let stopped = false;
  let running = false;
  let again = false;
  let debounce: NodeJS.Timeout | undefined;

  const pass = () => {
    if (stopped || !core.db.open) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    void (async () => {
      try {
        do {
          again = false;
          const report = await importer.runYielding();
          options.onImport?.(report);
        } while (again && !stopped && core.db.open);
      } catch (error) {
        // A ledger closed mid-pass (the app quitting) ends the pass quietly.
        if (!stopped) options.onError?.(error);
      } finally {
        running = false;
      }
    })();
  };

  const soon = () => {
    if (stopped) return;
    clearTimeout(debounce);
    debounce = setTimeout(pass, DEBOUNCE_MS);
    debounce.unref();
  };

  const watchers: fs.FSWatcher[] = [];
  for (const agent of AGENT_NAMES) {
    for (const root of defaultRoots(agent, core.env)) {
      if (!fs.existsSync(root.path)) continue;
      try {
        const w = fs.watch(root.path, { recursive: true, persistent: false }, soon);
        w.on('error', () => w.close()); // the periodic pass still covers this root
        watchers.push(w);
      } catch {
        // fs.watch is unavailable here (some network and container file systems): poll only.
      }
    }
  }

  const timer = setInterval(pass, options.intervalMs ?? DEFAULT_AGENT_POLL_MS);
  timer.unref();
  setImmediate(pass); // the first import, after the caller has finished starting up

  return {
    poke: pass,
    stop() {
      stopped = true;
      clearInterval(timer);
      clearTimeout(debounce);
      for (const w of watchers) w.close();
    },
  };
}

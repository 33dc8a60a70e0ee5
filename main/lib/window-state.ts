import fs from 'node:fs';
import path from 'node:path';
import type { DisplayLike, Rect } from './popover-position';

/**
 * The dashboard window remembers its size (and place, and whether it was maximised) in
 * window-state.json in the data folder. A file of our own rather than a ledger setting: it is
 * per machine, changes on every resize, and must never be a reason to open the database.
 */

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export const DEFAULT_WINDOW_STATE: Readonly<WindowState> = Object.freeze({ width: 1120, height: 760, maximized: false });
export const MIN_WINDOW_SIZE = Object.freeze({ width: 720, height: 520 });
export const WINDOW_STATE_FILE = 'window-state.json';

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 100_000;

/** Anything read from disk → a sane state (unknown fields and bad values fall back to defaults). */
export function parseWindowState(raw: unknown): WindowState {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const state: WindowState = {
    width: isInt(value.width) ? Math.max(value.width, MIN_WINDOW_SIZE.width) : DEFAULT_WINDOW_STATE.width,
    height: isInt(value.height) ? Math.max(value.height, MIN_WINDOW_SIZE.height) : DEFAULT_WINDOW_STATE.height,
    maximized: value.maximized === true,
  };
  if (isInt(value.x) && isInt(value.y)) {
    state.x = value.x;
    state.y = value.y;
  }
  return state;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Fit a remembered state to today's displays: a window whose place is now off every display
 * (a monitor was unplugged) is re-centred by the OS (x/y dropped), and none is larger than the
 * largest work area.
 */
export function fitToDisplays(state: WindowState, displays: readonly DisplayLike[]): WindowState {
  if (displays.length === 0) return state;
  const maxWidth = Math.max(...displays.map((d) => d.workArea.width));
  const maxHeight = Math.max(...displays.map((d) => d.workArea.height));
  const fitted: WindowState = {
    width: Math.min(state.width, maxWidth),
    height: Math.min(state.height, maxHeight),
    maximized: state.maximized,
  };
  if (state.x !== undefined && state.y !== undefined) {
    const rect = { x: state.x, y: state.y, width: fitted.width, height: fitted.height };
    // Keep the place only if a good part of the window (a quarter) is on some display.
    const visible = Math.max(...displays.map((d) => overlap(rect, d.workArea)));
    if (visible >= (rect.width * rect.height) / 4) {
      fitted.x = state.x;
      fitted.y = state.y;
    }
  }
  return fitted;
}

export class WindowStateFile {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, WINDOW_STATE_FILE);
  }

  load(): WindowState {
    try {
      return parseWindowState(JSON.parse(fs.readFileSync(this.file, 'utf8')));
    } catch {
      return { ...DEFAULT_WINDOW_STATE };
    }
  }

  /** Written atomically (temp file + rename), so a crash mid-write leaves the old state. */
  save(state: WindowState): void {
    const clean = parseWindowState(state);
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(temp, JSON.stringify(clean, null, 2) + '\n');
    fs.renameSync(temp, this.file);
  }
}

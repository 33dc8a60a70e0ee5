import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DisplayLike } from '../../../main/lib/popover-position';
import { DEFAULT_WINDOW_STATE, fitToDisplays, MIN_WINDOW_SIZE, parseWindowState, WindowStateFile } from '../../../main/lib/window-state';

const primary: DisplayLike = { bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 } };
const second: DisplayLike = { bounds: { x: 1920, y: 0, width: 2560, height: 1440 }, workArea: { x: 1920, y: 0, width: 2560, height: 1400 } };

describe('window state', () => {
  it('parses what it saved and replaces nonsense with defaults', () => {
    expect(parseWindowState({ width: 1300, height: 900, x: 10, y: 20, maximized: true })).toEqual({ width: 1300, height: 900, x: 10, y: 20, maximized: true });
    expect(parseWindowState(null)).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState({ width: '1300', height: 1.5, x: 10, maximized: 'yes' })).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState({ width: 100, height: 100 })).toMatchObject(MIN_WINDOW_SIZE);
  });

  it('keeps a place that is still on a display, on any display', () => {
    const state = { width: 1200, height: 800, x: 2100, y: 100, maximized: false };
    expect(fitToDisplays(state, [primary, second])).toEqual(state);
  });

  it('drops a place whose display was unplugged, and shrinks to the largest screen', () => {
    expect(fitToDisplays({ width: 2400, height: 1300, x: 2100, y: 100, maximized: false }, [primary])).toEqual({ width: 1920, height: 1040, maximized: false });
    // Mostly off screen (less than a quarter visible): re-centred.
    expect(fitToDisplays({ width: 1000, height: 800, x: 1800, y: 900, maximized: false }, [primary])).toEqual({ width: 1000, height: 800, maximized: false });
  });

  describe('on disk', () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'burnrate-window-'));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('round-trips through window-state.json, leaving no temp file', () => {
      const store = new WindowStateFile(dir);
      expect(store.load()).toEqual(DEFAULT_WINDOW_STATE);
      store.save({ width: 1400, height: 900, x: 40, y: 50, maximized: false });
      expect(new WindowStateFile(dir).load()).toEqual({ width: 1400, height: 900, x: 40, y: 50, maximized: false });
      expect(fs.readdirSync(dir)).toEqual(['window-state.json']);
    });

    it('reads a damaged file as the defaults', () => {
      fs.writeFileSync(path.join(dir, 'window-state.json'), '{"width": 14');
      expect(new WindowStateFile(dir).load()).toEqual(DEFAULT_WINDOW_STATE);
    });
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLICK_AFTER_BLUR_MS, PopoverController, type PopoverWindowLike } from '../../../main/lib/popover-controller';
import { nearestDisplay, placePopover, taskbarSide, type DisplayLike, type Rect } from '../../../main/lib/popover-position';

const SIZE = { width: 360, height: 520 };
const display = (bounds: Rect, workArea: Rect): DisplayLike => ({ bounds, workArea });
const FULL_HD = { x: 0, y: 0, width: 1920, height: 1080 };

describe('taskbar side', () => {
  it('is read from what the taskbar takes out of the work area', () => {
    const c = { x: 0, y: 0 };
    expect(taskbarSide(display(FULL_HD, { x: 0, y: 25, width: 1920, height: 1055 }), c)).toBe('top');
    expect(taskbarSide(display(FULL_HD, { x: 0, y: 0, width: 1920, height: 1040 }), c)).toBe('bottom');
    expect(taskbarSide(display(FULL_HD, { x: 48, y: 0, width: 1872, height: 1080 }), c)).toBe('left');
    expect(taskbarSide(display(FULL_HD, { x: 0, y: 0, width: 1872, height: 1080 }), c)).toBe('right');
  });
  it('falls back to the edge nearest the icon when the taskbar hides itself', () => {
    const d = display(FULL_HD, FULL_HD);
    expect(taskbarSide(d, { x: 1800, y: 1070 })).toBe('bottom');
    expect(taskbarSide(d, { x: 1800, y: 8 })).toBe('top');
    expect(taskbarSide(d, { x: 6, y: 500 })).toBe('left');
    expect(taskbarSide(d, { x: 1912, y: 500 })).toBe('right');
  });
});

describe('placePopover', () => {
  const place = (trayBounds: Rect | null, displays: DisplayLike[], cursor = { x: 0, y: 0 }) =>
    placePopover({ trayBounds, cursor, windowSize: SIZE, displays });

  it('top (macOS menu bar): below the icon, centred on it', () => {
    const mac = display({ x: 0, y: 0, width: 1440, height: 900 }, { x: 0, y: 25, width: 1440, height: 875 });
    expect(place({ x: 1200, y: 0, width: 22, height: 24 }, [mac])).toEqual({ x: 1031, y: 25, side: 'top', display: 0 });
  });

  it('bottom (Windows): above the icon, kept inside the screen at the corner', () => {
    const win = display(FULL_HD, { x: 0, y: 0, width: 1920, height: 1040 });
    expect(place({ x: 1500, y: 1044, width: 24, height: 32 }, [win])).toEqual({ x: 1332, y: 520, side: 'bottom', display: 0 });
    expect(place({ x: 1800, y: 1044, width: 24, height: 32 }, [win])).toEqual({ x: 1560, y: 520, side: 'bottom', display: 0 });
  });

  it('left: beside the taskbar, level with the icon as far as the screen allows', () => {
    const left = display(FULL_HD, { x: 48, y: 0, width: 1872, height: 1080 });
    expect(place({ x: 8, y: 300, width: 32, height: 32 }, [left])).toEqual({ x: 48, y: 56, side: 'left', display: 0 });
    expect(place({ x: 8, y: 1000, width: 32, height: 32 }, [left])).toEqual({ x: 48, y: 560, side: 'left', display: 0 });
  });

  it('right: beside the taskbar on its left side', () => {
    const right = display(FULL_HD, { x: 0, y: 0, width: 1872, height: 1080 });
    expect(place({ x: 1880, y: 300, width: 32, height: 32 }, [right])).toEqual({ x: 1512, y: 56, side: 'right', display: 0 });
  });

  it('on two displays, uses the one the icon is on (to the right, above the primary)', () => {
    const primary = display(FULL_HD, { x: 0, y: 0, width: 1920, height: 1040 });
    const secondary = display({ x: 1920, y: -200, width: 2560, height: 1440 }, { x: 1920, y: -175, width: 2560, height: 1415 });
    expect(place({ x: 4000, y: -200, width: 22, height: 24 }, [primary, secondary])).toEqual({ x: 3831, y: -175, side: 'top', display: 1 });
    expect(place({ x: 1500, y: 1044, width: 24, height: 32 }, [primary, secondary])).toMatchObject({ display: 0, side: 'bottom' });
  });

  it('on two displays, uses the one the icon is on (to the left, negative coordinates; flush with its right edge)', () => {
    const primary = display(FULL_HD, { x: 0, y: 0, width: 1920, height: 1040 });
    const left = display({ x: -1280, y: 0, width: 1280, height: 1024 }, { x: -1280, y: 0, width: 1280, height: 984 });
    expect(place({ x: -100, y: 990, width: 24, height: 30 }, [primary, left])).toEqual({ x: -360, y: 464, side: 'bottom', display: 1 });
  });

  it('anchors at the cursor when the tray reports no bounds (Linux)', () => {
    const gnome = display(FULL_HD, { x: 0, y: 32, width: 1920, height: 1048 });
    expect(place({ x: 0, y: 0, width: 0, height: 0 }, [gnome], { x: 1700, y: 10 })).toEqual({ x: 1520, y: 32, side: 'top', display: 0 });
    expect(place(null, [gnome], { x: 1900, y: 10 })).toMatchObject({ x: 1560, y: 32 });
  });

  it('gives integer positions for fractional (scaled) bounds', () => {
    const mac = display({ x: 0, y: 0, width: 1512, height: 982 }, { x: 0, y: 24.5, width: 1512, height: 957.5 });
    const placed = place({ x: 1100.25, y: 0, width: 21.5, height: 24.5 }, [mac]);
    expect(Number.isInteger(placed.x) && Number.isInteger(placed.y)).toBe(true);
  });

  it('nearest display: containment first, else distance', () => {
    const a = display(FULL_HD, FULL_HD);
    const b = display({ x: 1920, y: 0, width: 1920, height: 1080 }, { x: 1920, y: 0, width: 1920, height: 1080 });
    expect(nearestDisplay({ x: 2000, y: 10 }, [a, b])).toBe(1);
    expect(nearestDisplay({ x: 1919, y: 10 }, [a, b])).toBe(0);
    expect(nearestDisplay({ x: 5000, y: 5000 }, [a, b])).toBe(1);
    expect(() => nearestDisplay({ x: 0, y: 0 }, [])).toThrow();
  });

  it('always lands inside the work area of the display holding the icon', () => {
    const rect = (min: number, max: number) =>
      fc.record({ x: fc.integer({ min, max }), y: fc.integer({ min, max }), width: fc.integer({ min: 800, max: 3000 }), height: fc.integer({ min: 700, max: 2000 }) });
    const inset = fc.record({ top: fc.integer({ min: 0, max: 60 }), bottom: fc.integer({ min: 0, max: 60 }), left: fc.integer({ min: 0, max: 60 }), right: fc.integer({ min: 0, max: 60 }) });
    fc.assert(
      fc.property(rect(-3000, 3000), inset, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (b, i, fx, fy) => {
        const d = display(b, { x: b.x + i.left, y: b.y + i.top, width: b.width - i.left - i.right, height: b.height - i.top - i.bottom });
        const tray = { x: Math.floor(b.x + fx * (b.width - 24)), y: Math.floor(b.y + fy * (b.height - 24)), width: 24, height: 24 };
        const other = display({ x: b.x + b.width, y: b.y, width: 1920, height: 1080 }, { x: b.x + b.width, y: b.y, width: 1920, height: 1040 });
        const p = placePopover({ trayBounds: tray, cursor: { x: 0, y: 0 }, windowSize: SIZE, displays: [other, d] });
        expect(p.display).toBe(1);
        expect(Number.isInteger(p.x) && Number.isInteger(p.y)).toBe(true);
        expect(p.x).toBeGreaterThanOrEqual(d.workArea.x);
        expect(p.y).toBeGreaterThanOrEqual(d.workArea.y);
        expect(p.x + SIZE.width).toBeLessThanOrEqual(d.workArea.x + d.workArea.width);
        expect(p.y + SIZE.height).toBeLessThanOrEqual(d.workArea.y + d.workArea.height);
      }),
      { numRuns: 300 },
    );
  });
});

class FakeWindow implements PopoverWindowLike {
  visible = false;
  position: [number, number] | null = null;
  log: string[] = [];
  isDestroyed() { return false; }
  isVisible() { return this.visible; }
  getSize() { return [360, 520]; }
  setPosition(x: number, y: number) { this.position = [x, y]; }
  show() { this.visible = true; this.log.push('show'); }
  hide() { this.visible = false; this.log.push('hide'); }
  focus() { this.log.push('focus'); }
}

describe('PopoverController', () => {
  const mac = display({ x: 0, y: 0, width: 1440, height: 900 }, { x: 0, y: 25, width: 1440, height: 875 });
  function setup(liveBounds: Rect | null = { x: 1200, y: 0, width: 22, height: 24 }) {
    const win = new FakeWindow();
    let now = 1000;
    let created = 0;
    const ctl = new PopoverController({
      window: () => {
        created++;
        return win;
      },
      screen: { getAllDisplays: () => [mac], getCursorScreenPoint: () => ({ x: 700, y: 5 }) },
      trayBounds: () => liveBounds,
      now: () => now,
    });
    return { win, ctl, advance: (ms: number) => (now += ms), created: () => created };
  }

  it('toggles on click: shows placed under the icon and focused, then hides', () => {
    const { win, ctl } = setup();
    ctl.toggle({ x: 1200, y: 0, width: 22, height: 24 });
    expect(win.visible).toBe(true);
    expect(win.position).toEqual([1031, 25]);
    expect(win.log).toEqual(['show', 'focus']);
    ctl.toggle({ x: 1200, y: 0, width: 22, height: 24 });
    expect(win.visible).toBe(false);
  });

  it('hides on blur, and the click that caused the blur does not reopen it', () => {
    const { win, ctl, advance } = setup();
    ctl.toggle();
    ctl.onBlur();
    expect(win.visible).toBe(false);
    advance(CLICK_AFTER_BLUR_MS - 1);
    ctl.toggle();
    expect(win.visible).toBe(false);
    advance(2);
    ctl.toggle();
    expect(win.visible).toBe(true);
  });

  it('caches the bounds of the last click and prefers them to the live ones', () => {
    const { win, ctl } = setup({ x: 0, y: 0, width: 0, height: 0 });
    ctl.toggle({ x: 400, y: 0, width: 22, height: 24 });
    ctl.hide();
    ctl.show(); // from a menu item: no click bounds
    expect(win.position).toEqual([231, 25]);
  });

  it('falls back to the cursor when no bounds are known at all', () => {
    const { win, ctl } = setup(null);
    ctl.show();
    expect(win.position).toEqual([520, 25]);
  });

  it('ignores a blur while hidden', () => {
    const { win, ctl } = setup();
    ctl.onBlur();
    ctl.toggle();
    expect(win.visible).toBe(true);
  });
});

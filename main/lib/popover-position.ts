/**
 * Where the popover goes: under (or above, or beside) the tray icon, on the display the icon is
 * on, never off screen. Pure; follows max-mapper/menubar's rules (src/util/getWindowPosition.ts):
 * anchor on the tray's bounds, detect which side the taskbar is on, integer positions. Unlike
 * menubar we detect the side from the display's work area (the part the taskbar does not cover)
 * rather than from the icon's shape, and fall back to the icon's nearest edge when the taskbar
 * hides itself.
 */

export interface Point {
  x: number;
  y: number;
}
export interface Rect extends Point {
  width: number;
  height: number;
}
export interface DisplayLike {
  bounds: Rect;
  workArea: Rect;
}
export type TaskbarSide = 'top' | 'bottom' | 'left' | 'right';

export interface PopoverPlacementInput {
  /** The tray icon's bounds; empty (0×0) when the OS does not report them (Linux AppIndicator). */
  trayBounds: Rect | null;
  /** Where the cursor is: the anchor when the tray's bounds are unknown. */
  cursor: Point;
  windowSize: { width: number; height: number };
  displays: readonly DisplayLike[];
}

export interface PopoverPlacement {
  x: number;
  y: number;
  side: TaskbarSide;
  /** Index into `displays` of the display used. */
  display: number;
}

const isEmpty = (r: Rect | null): boolean => !r || r.width <= 0 || r.height <= 0;

function distanceToRect(p: Point, r: Rect): number {
  const dx = Math.max(r.x - p.x, 0, p.x - (r.x + r.width));
  const dy = Math.max(r.y - p.y, 0, p.y - (r.y + r.height));
  return Math.hypot(dx, dy);
}

/** The display containing the point, else the nearest one. */
export function nearestDisplay(point: Point, displays: readonly DisplayLike[]): number {
  if (displays.length === 0) throw new Error('No display to place the popover on.');
  let best = 0;
  let bestDistance = Infinity;
  displays.forEach((d, i) => {
    const distance = distanceToRect(point, d.bounds);
    if (distance < bestDistance) {
      best = i;
      bestDistance = distance;
    }
  });
  return best;
}

/** Which edge the taskbar (or menu bar) occupies, from what it takes out of the work area. */
export function taskbarSide(display: DisplayLike, anchor: Point): TaskbarSide {
  const { bounds: b, workArea: w } = display;
  const top = w.y - b.y;
  const bottom = b.y + b.height - (w.y + w.height);
  const left = w.x - b.x;
  const right = b.x + b.width - (w.x + w.width);
  const largest = Math.max(top, bottom, left, right);
  if (largest > 0) {
    if (top === largest) return 'top';
    if (bottom === largest) return 'bottom';
    if (left === largest) return 'left';
    return 'right';
  }
  // Auto-hidden taskbar: the work area is the whole display. Use the edge nearest the icon.
  const edges: [TaskbarSide, number][] = [
    ['top', anchor.y - b.y],
    ['bottom', b.y + b.height - anchor.y],
    ['left', anchor.x - b.x],
    ['right', b.x + b.width - anchor.x],
  ];
  edges.sort((p, q) => p[1] - q[1]);
  return edges[0]![0];
}

const clamp = (value: number, min: number, max: number) => Math.min(Math.max(value, min), Math.max(min, max));

export function placePopover(input: PopoverPlacementInput): PopoverPlacement {
  const anchor: Rect = isEmpty(input.trayBounds) ? { ...input.cursor, width: 0, height: 0 } : input.trayBounds!;
  const center = { x: anchor.x + anchor.width / 2, y: anchor.y + anchor.height / 2 };
  const index = nearestDisplay(center, input.displays);
  const display = input.displays[index]!;
  const side = taskbarSide(display, center);
  const { width, height } = input.windowSize;
  const area = display.workArea;

  let x: number;
  let y: number;
  switch (side) {
    case 'top': // macOS menu bar, GNOME top bar: below the icon, centred on it
      x = center.x - width / 2;
      y = Math.max(anchor.y + anchor.height, area.y);
      break;
    case 'bottom': // Windows default: above the icon
      x = center.x - width / 2;
      y = Math.min(anchor.y, area.y + area.height) - height;
      break;
    case 'left':
      x = Math.max(anchor.x + anchor.width, area.x);
      y = center.y - height / 2;
      break;
    case 'right':
      x = Math.min(anchor.x, area.x + area.width) - width;
      y = center.y - height / 2;
      break;
  }
  // Keep it inside the work area; integer positions (BrowserWindow.setPosition needs them).
  x = clamp(x, area.x, area.x + area.width - width);
  y = clamp(y, area.y, area.y + area.height - height);
  return { x: Math.round(x), y: Math.round(y), side, display: index };
}

import { placePopover, type DisplayLike, type Point, type Rect } from './popover-position';

/**
 * The popover's show/hide mechanics (menubar's Menubar.ts rules): toggled by a tray click, hidden
 * when it loses focus, placed from the tray's bounds cached at the last click that reported them
 * (some platforms report wrong bounds from tray.getBounds() later). The window and screen are
 * injected so the logic runs in tests.
 */

export interface PopoverWindowLike {
  isDestroyed(): boolean;
  isVisible(): boolean;
  getSize(): number[];
  setPosition(x: number, y: number): void;
  show(): void;
  hide(): void;
  focus(): void;
}

export interface ScreenLike {
  getAllDisplays(): DisplayLike[];
  getCursorScreenPoint(): Point;
}

export interface PopoverControllerDeps {
  /** The popover window, created on first use. */
  window(): PopoverWindowLike;
  screen: ScreenLike;
  /** The tray's current bounds (may be empty or stale). */
  trayBounds(): Rect | null;
  /** Monotonic milliseconds. */
  now(): number;
}

/**
 * A click on the tray icon while the popover is open first blurs the popover (which hides it) and
 * then arrives as a click; without this window the click would re-open what the user just closed.
 */
export const CLICK_AFTER_BLUR_MS = 300;

export class PopoverController {
  private cachedBounds: Rect | null = null;
  private hiddenByBlurAt = -Infinity;

  constructor(private readonly deps: PopoverControllerDeps) {}

  /** The tray icon was clicked. */
  toggle(clickBounds?: Rect): void {
    this.remember(clickBounds);
    const win = this.deps.window();
    if (win.isVisible()) return this.hide();
    if (this.deps.now() - this.hiddenByBlurAt < CLICK_AFTER_BLUR_MS) return;
    this.show();
  }

  /** Show (and place) the popover, whatever its state. */
  show(clickBounds?: Rect): void {
    this.remember(clickBounds);
    const win = this.deps.window();
    const [width = 360, height = 520] = win.getSize();
    const { x, y } = placePopover({
      trayBounds: this.anchor(),
      cursor: this.deps.screen.getCursorScreenPoint(),
      windowSize: { width, height },
      displays: this.deps.screen.getAllDisplays(),
    });
    win.setPosition(x, y);
    win.show();
    win.focus();
  }

  hide(): void {
    const win = this.deps.window();
    if (!win.isDestroyed() && win.isVisible()) win.hide();
  }

  /** The popover lost focus. */
  onBlur(): void {
    const win = this.deps.window();
    if (win.isDestroyed() || !win.isVisible()) return;
    this.hiddenByBlurAt = this.deps.now();
    win.hide();
  }

  private remember(bounds: Rect | undefined): void {
    if (bounds && bounds.width > 0 && bounds.height > 0) this.cachedBounds = { ...bounds };
  }

  private anchor(): Rect | null {
    if (this.cachedBounds) return this.cachedBounds;
    const live = this.deps.trayBounds();
    if (live && live.width > 0 && live.height > 0) {
      this.cachedBounds = { ...live };
      return this.cachedBounds;
    }
    return null;
  }
}

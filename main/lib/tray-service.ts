import { renderTray, type MenuItemSpec, type TrayAction, type TrayState, type TrayView } from './tray-render';

/**
 * Applies renderTray's view to a native tray, idempotently: render(state) may be called on every
 * event; the native tray is created once (through the injected factory, so tests use a stand-in)
 * and only the parts that changed are set again.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface NativeTrayLike {
  setImage(iconPath: string): void;
  setTitle(title: string): void;
  setToolTip(tooltip: string): void;
  setContextMenu(menu: unknown): void;
  popUpContextMenu(menu: unknown): void;
  getBounds(): Rect;
  on(event: 'click' | 'right-click', listener: (bounds: Rect | undefined) => void): void;
  destroy(): void;
}

export interface TrayServiceDeps {
  createTray(iconPath: string): NativeTrayLike;
  /** Builds a native menu from the spec; clicks call `onAction`. */
  buildMenu(spec: readonly MenuItemSpec[], onAction: (action: TrayAction) => void): unknown;
  assetsDir: string;
  onAction(action: TrayAction): void;
  /** Left click on the icon (toggles the popover), with the icon's bounds when the OS gives them. */
  onClick(bounds: Rect | undefined): void;
}

export class TrayService {
  private tray: NativeTrayLike | null = null;
  private applied: TrayView | null = null;
  private menu: unknown = null;

  constructor(private readonly deps: TrayServiceDeps) {}

  render(state: TrayState): void {
    const view = renderTray(state, this.deps.assetsDir);
    const before = this.applied;
    const tray = this.tray ?? this.create(view);

    if (before && before.iconPath !== view.iconPath) tray.setImage(view.iconPath);
    if (!before || before.title !== view.title) tray.setTitle(view.title);
    if (!before || before.tooltip !== view.tooltip) tray.setToolTip(view.tooltip);
    if (!before || before.menuMode !== view.menuMode || JSON.stringify(before.menu) !== JSON.stringify(view.menu)) {
      this.menu = this.deps.buildMenu(view.menu, (action) => this.deps.onAction(action));
      if (view.menuMode === 'attach') tray.setContextMenu(this.menu);
      else if (before?.menuMode === 'attach') tray.setContextMenu(null);
    }
    this.applied = view;
  }

  /** The view last applied (for tests and the popover's anchor). */
  get current(): TrayView | null {
    return this.applied;
  }

  bounds(): Rect | null {
    return this.tray ? this.tray.getBounds() : null;
  }

  destroy(): void {
    this.tray?.destroy();
    this.tray = null;
    this.applied = null;
    this.menu = null;
  }

  private create(view: TrayView): NativeTrayLike {
    const tray = this.deps.createTray(view.iconPath);
    tray.on('click', (bounds) => this.deps.onClick(bounds));
    tray.on('right-click', () => {
      if (this.applied?.menuMode === 'popup' && this.menu) tray.popUpContextMenu(this.menu);
    });
    this.tray = tray;
    return tray;
  }
}

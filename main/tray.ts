import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { MenuItemSpec, TrayAction } from './lib/tray-render';
import type { NativeTrayLike } from './lib/tray-service';

/** Electron's Tray and Menu behind the structural interfaces main/lib/tray-service.ts renders to. */

function image(iconPath: string): Electron.NativeImage {
  const img = nativeImage.createFromPath(iconPath);
  if (process.platform === 'darwin') img.setTemplateImage(iconPath.includes('Template'));
  return img;
}

export function createElectronTray(iconPath: string): NativeTrayLike {
  const tray = new Tray(image(iconPath));
  // Without this macOS waits to rule out a double click before delivering a click (menubar does the same).
  if (process.platform === 'darwin') tray.setIgnoreDoubleClickEvents(true);
  return {
    setImage: (file) => tray.setImage(image(file)),
    // Monospaced digits keep the menu bar from jittering as the amount changes.
    setTitle: (title) => tray.setTitle(title, { fontType: 'monospacedDigit' }),
    setToolTip: (tooltip) => tray.setToolTip(tooltip),
    setContextMenu: (menu) => tray.setContextMenu((menu as Menu | null) ?? null),
    popUpContextMenu: (menu) => tray.popUpContextMenu(menu as Menu),
    getBounds: () => tray.getBounds(),
    on: (event, listener) => {
      if (event === 'click') tray.on('click', (_event, bounds) => listener(bounds));
      else tray.on('right-click', (_event, bounds) => listener(bounds));
    },
    destroy: () => tray.destroy(),
  };
}

export function buildElectronMenu(spec: readonly MenuItemSpec[], onAction: (action: TrayAction) => void): Menu {
  const template = spec.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    if (item.type === 'checkbox') return { type: 'checkbox', label: item.label, checked: item.checked, click: () => onAction(item.id) };
    const id = item.id;
    if (id === 'summary') return { label: item.label, enabled: false };
    return { label: item.label, enabled: item.enabled, click: () => onAction(id) };
  });
  return Menu.buildFromTemplate(template);
}

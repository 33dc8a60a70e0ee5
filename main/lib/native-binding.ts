import path from 'node:path';

/**
 * better-sqlite3 is a native module built per ABI: node_modules holds the Node build (for the CLI
 * and tests), and `npm start` / `npm run dist` build an Electron-ABI copy into native/electron/
 * (scripts/electron-native.mjs) without touching node_modules. The app passes that file to
 * better-sqlite3 as `nativeBinding`. Packaged, electron-builder ships it as an extra resource.
 */
export const NATIVE_BINARY = 'better_sqlite3.node';

export interface NativeBindingInput {
  isPackaged: boolean;
  /** app.getAppPath(): the repository root in development. */
  appPath: string;
  /** process.resourcesPath of the packaged app. */
  resourcesPath: string;
  exists(file: string): boolean;
}

/** The Electron-ABI binary to load, or undefined to let better-sqlite3 find its own. */
export function resolveNativeBinding(input: NativeBindingInput): string | undefined {
  const candidate = input.isPackaged
    ? path.join(input.resourcesPath, 'native', NATIVE_BINARY)
    : path.join(input.appPath, 'native', 'electron', NATIVE_BINARY);
  return input.exists(candidate) ? candidate : undefined;
}

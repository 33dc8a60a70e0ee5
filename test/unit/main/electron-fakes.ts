/**
 * Stand-ins for Electron's own objects (ipcMain, ipcRenderer, webContents), speaking the same
 * structural interfaces main/lib is written against. Messages are structured-cloned on the way,
 * as Electron's IPC does, so a result that is not plain data would fail here too.
 */
import type { IpcRendererLike } from '../../../main/lib/bridge-api';
import type { InvokeEventLike, IpcMainLike, WebContentsLike } from '../../../main/lib/ipc-gateway';

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, Handler>();

  handle(channel: string, listener: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** What Electron does when a page calls ipcRenderer.invoke. */
  async invoke(channel: string, event: InvokeEventLike, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return structuredClone(await handler(event, ...structuredClone(args)));
  }
}

type RendererListener = (event: unknown, ...args: unknown[]) => void;

/** A page: its webContents (main side) and its ipcRenderer (page side). */
export class FakePage implements WebContentsLike {
  readonly sent: unknown[][] = [];
  private destroyed = false;
  private readonly onDestroyed: (() => void)[] = [];
  private readonly rendererListeners = new Map<string, Set<RendererListener>>();

  constructor(
    readonly id: number,
    private readonly ipcMain: FakeIpcMain,
    public url = 'app://burnrate/index.html',
  ) {}

  // ---- webContents ----
  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    const cloned = structuredClone(args);
    this.sent.push([channel, ...cloned]);
    for (const listener of this.rendererListeners.get(channel) ?? []) listener({ senderId: 0 }, ...cloned);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  once(_event: 'destroyed', listener: () => void): void {
    this.onDestroyed.push(listener);
  }
  destroy(): void {
    this.destroyed = true;
    for (const listener of this.onDestroyed.splice(0)) listener();
  }

  // ---- ipcRenderer ----
  readonly ipcRenderer: IpcRendererLike = {
    invoke: (channel, ...args) => this.ipcMain.invoke(channel, { sender: { id: this.id }, senderFrame: { url: this.url, parent: null } }, ...args),
    on: (channel, listener) => {
      const set = this.rendererListeners.get(channel) ?? new Set();
      set.add(listener);
      this.rendererListeners.set(channel, set);
    },
    removeListener: (channel, listener) => {
      this.rendererListeners.get(channel)?.delete(listener);
    },
  };

  listenerCount(channel: string): number {
    return this.rendererListeners.get(channel)?.size ?? 0;
  }
}

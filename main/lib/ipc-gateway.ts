import type { Core } from '../../src/app/open';
import { contract, isMethodName } from '../../src/api/contract';
import { dispatch, errorBody, toApiError } from '../../src/api/dispatch';
import { ApiError } from '../../src/api/errors';
import { PAGE_ORIGINS, vouchedOrigin } from '../../src/api/origin';
import { CALL_CHANNEL, EVENT_CHANNEL, type DesktopEventName, type DesktopEvents, type IpcReply } from './ipc-channels';
import { isAppUrl } from './pages';

/**
 * The IPC gateway: the one door between our pages and the core. Written against structural
 * stand-ins for Electron's ipcMain and webContents (IpcMainLike, WebContentsLike), so tests run it
 * under plain Node with a real core; main/ipc.ts hands it Electron's ipcMain.
 *
 * Every call passes ONE sender check (a webContents we created, its main frame showing a page of
 * our own app:// origin; Electron checklist item 17), then the contract's validation and handler
 * (src/api/dispatch). Results are plain data; every error is a plain {error:{code,message}}.
 */

export interface InvokeEventLike {
  readonly sender: { readonly id: number };
  /**
   * The frame that sent the message; null once it navigated away or was destroyed. `parent` is
   * null for a page's main frame (Electron's WebFrameMain), a frame for an iframe inside it.
   */
  readonly senderFrame?: { readonly url: string; readonly parent?: object | null } | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface WebContentsLike {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** The webContents of our own windows; each leaves the set when it is destroyed. */
export class TrustedSenders {
  private readonly byId = new Map<number, WebContentsLike>();

  add(contents: WebContentsLike): void {
    if (this.byId.has(contents.id)) return;
    this.byId.set(contents.id, contents);
    contents.once('destroyed', () => this.byId.delete(contents.id));
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Live members, for pushes. */
  all(): WebContentsLike[] {
    return [...this.byId.values()].filter((c) => !c.isDestroyed());
  }
}

/** Null when the sender may call; otherwise the refusal. */
export function checkSender(event: InvokeEventLike, senders: TrustedSenders): ApiError | null {
  if (!senders.has(event.sender.id)) {
    return new ApiError('unauthorized', 'This page is not one of Burnrate\'s windows, so it may not call Burnrate.');
  }
  const url = event.senderFrame?.url;
  if (!url || !isAppUrl(url)) {
    return new ApiError('unauthorized', 'Only Burnrate\'s own pages (app://burnrate) may call Burnrate; this frame shows another page.');
  }
  // An iframe inside our page (even of our origin) is not the page: only its main frame may call.
  if (event.senderFrame?.parent !== null) {
    return new ApiError('unauthorized', 'Only the main frame of Burnrate\'s own pages may call Burnrate; a frame inside the page may not.');
  }
  return null;
}

export interface GatewayOptions {
  ipcMain: IpcMainLike;
  core: Core;
  senders: TrustedSenders;
  /** After a successful write (the shell re-reads its preferences, refreshes the tray). */
  afterWrite?: (method: string) => void;
  log?: (line: string) => void;
  /** Told of every failed call (the shell hands a damaged ledger to its quick_check job). */
  onTrouble?: (error: unknown) => void;
}

export interface Gateway {
  /** Send an event to every trusted page, or to one. */
  push<K extends DesktopEventName>(name: K, payload: DesktopEvents[K], to?: WebContentsLike): void;
  dispose(): void;
}

const MAX_METHOD_NAME = 64;

export function installIpcGateway(options: GatewayOptions): Gateway {
  const { ipcMain, core, senders } = options;
  const log = options.log ?? (() => undefined);

  async function onCall(event: InvokeEventLike, method: unknown, input: unknown): Promise<IpcReply> {
    const refusal = checkSender(event, senders);
    if (refusal) {
      log(`ipc: refused a call from webContents ${event.sender.id} (${event.senderFrame?.url ?? 'no frame'})`);
      return errorBody(refusal);
    }
    if (typeof method !== 'string' || method.length === 0 || method.length > MAX_METHOD_NAME) {
      return errorBody(new ApiError('invalid_input', 'Name the operation to call as a string, for example "status".'));
    }
    try {
      // Only our pages call over IPC: the override log's `by` is the window or the tray, never a claim of the CLI's.
      const result = await dispatch(core, method, vouchedOrigin(method, input, PAGE_ORIGINS));
      if (isMethodName(method) && contract[method].kind === 'write') options.afterWrite?.(method);
      return { result };
    } catch (error) {
      options.onTrouble?.(error);
      return errorBody(toApiError(error));
    }
  }

  ipcMain.handle(CALL_CHANNEL, (event, method, input) => onCall(event, method, input));

  function push<K extends DesktopEventName>(name: K, payload: DesktopEvents[K], to?: WebContentsLike): void {
    const targets = to ? [to].filter((c) => senders.has(c.id) && !c.isDestroyed()) : senders.all();
    for (const contents of targets) contents.send(EVENT_CHANNEL, name, payload);
  }

  const offCore = core.events.onAny((name, payload) => push(name, payload as DesktopEvents[typeof name]));

  return {
    push,
    dispose() {
      offCore();
      ipcMain.removeHandler(CALL_CHANNEL);
    },
  };
}

import type { Status } from '../../src/api/contract';
import type { ContractEvents } from '../../src/api/contract/events';
import type { TrayState } from './tray-render';

/** The last sync outcome per provider: an error stays until that provider syncs cleanly. */
export class SyncErrors {
  private readonly byProvider = new Map<string, string>();

  record(event: ContractEvents['syncFinished']): void {
    if (event.outcome === 'error') this.byProvider.set(event.provider, event.message);
    else this.byProvider.delete(event.provider);
  }

  /** One line for the tray, or null. */
  summary(): string | null {
    const first = this.byProvider.entries().next();
    if (first.done) return null;
    const [provider, message] = first.value;
    const more = this.byProvider.size - 1;
    return more > 0 ? `${provider}: ${message} (and ${more} more)` : `${provider}: ${message}`;
  }
}

export interface TrayExtras {
  syncError: string | null;
  /** Set when status itself could not be read. */
  statusError?: string | null;
  paused: boolean;
  openAtLogin: boolean;
  platform: NodeJS.Platform;
}

/** Status (or its absence) → what the tray shows. Day health first; the month's when only it is set. */
export function trayStateFromStatus(status: Pick<Status, 'day' | 'month'> | null, extras: TrayExtras): TrayState {
  return {
    health: status ? (status.day.health ?? status.month.health ?? null) : null,
    todaySpentUsd: status ? status.day.spentUsd : null,
    dayBudgetUsd: status ? status.day.budgetUsd : null,
    syncError: extras.statusError ?? extras.syncError,
    paused: extras.paused,
    openAtLogin: extras.openAtLogin,
    platform: extras.platform,
  };
}

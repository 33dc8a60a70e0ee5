import { migration001 } from './001_core';
import { migration002 } from './002_readings';
import { migration003 } from './003_alerts';
import { migration004 } from './004_sync';
import { migration005 } from './005_reconcile';
import { migration006 } from './006_provider_answers';
import { migration007 } from './007_agent_logs';
import { migration009 } from './009_team_outbox';
import { migration010 } from './010_month_close';
import { migration011 } from './011_proxy_shared';
import { migration015 } from './015_reservation_host';
import { migration016 } from './016_close_failure';
import { migration017 } from './017_sync_keychain_trouble';
import { migration018 } from './018_event_keys';
import { migration019 } from './019_answered_models';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** Append-only. Never edit a migration that has shipped: add the next number instead. */
export const migrations: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration009, migration010, migration011, migration015, migration016, migration017, migration018, migration019];

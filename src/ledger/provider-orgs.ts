import type { Database } from 'better-sqlite3';
import { getSetting, setSetting } from './settings';

/**
 * The organisation each provider said this machine's key belongs to, as seen at its last sync
 * (OpenAI's `openai-organization` answer header, Anthropic's GET /v1/organizations/me). A team
 * keys this machine's bills by it (docs/team.md), so two members syncing one organisation count
 * its bill once without anyone declaring it.
 */
const SETTING = 'provider_orgs';

export function providerOrgs(db: Database): Record<string, string> {
  return getSetting<Record<string, string>>(db, SETTING, {});
}

/** Remember what the provider said; unchanged answers write nothing (no change to announce). */
export function recordProviderOrg(db: Database, provider: string, org: string, now: Date): boolean {
  const known = providerOrgs(db);
  if (known[provider] === org) return false;
  setSetting(db, SETTING, { ...known, [provider]: org }, now);
  return true;
}

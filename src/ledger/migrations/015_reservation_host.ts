/**
 * 015: the machine of each proxy reservation's owner (docs/proxy.md, "Several proxies on one ledger").
 *
 * A row's owner_pid means something only on the machine (and in the pid namespace) that wrote it: a
 * proxy in a container or on another host sharing the folder would look dead to a pid check here
 * and lose its reservations. `owner_host` (hostname + boot id, see shared-reservations.ts) says
 * where the pid lives; owners elsewhere are judged by expiry only. Rows written before this
 * migration have '' and are judged by expiry too. Added here rather than in 011, which some test
 * ledgers already have applied.
 */
export const migration015 = {
  version: 15,
  name: 'reservation_host',
  sql: `
ALTER TABLE proxy_reservations ADD COLUMN owner_host TEXT NOT NULL DEFAULT '';
`,
} as const;

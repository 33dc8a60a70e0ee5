/**
 * 018: usage events from the user's own apps (POST /api/events) are idempotent on (source, id),
 * whatever provider the event names. The ledger's unique key is (source, provider, external_id), so
 * an event sent again under another provider could not be found by it and was counted twice. This
 * index finds an event's row by its key alone; partial, so no other row (the proxy's, millions of
 * imported ones) pays for it.
 */
export const migration018 = {
  version: 18,
  name: 'event_keys',
  sql: `
CREATE INDEX usage_events_event_key ON usage_events (external_id) WHERE external_id GLOB 'event*';
`,
} as const;

/**
 * The one door to PostgreSQL. `pg` is loaded on first use only, so commands other than the team
 * ones never pay for it (CLI start-up), and its optional native binding (pg-native) is never asked
 * for. TLS follows the URL: `sslmode=require` or `verify-full` turn it on (node-postgres reads it).
 */
type PgModule = typeof import('pg');

let loaded: Promise<PgModule> | undefined;
async function loadPg(): Promise<PgModule> {
  loaded ??= import('pg').then((m) => ((m as unknown as { default?: PgModule }).default ?? m));
  return loaded;
}

export interface QueryResult<R> {
  rows: R[];
  rowCount: number | null;
}

export interface SharedQuery {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/** A connection to the team database. */
export interface SharedDb extends SharedQuery {
  /** Run `work` in one transaction (committed when it returns, rolled back when it throws). */
  transaction<T>(work: (tx: SharedQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** The URL without its password (the password lives in the keychain). */
  url: string;
  password: string | null;
  /** Shown in pg_stat_activity, so an admin sees which machine holds a connection. */
  applicationName?: string;
  connectTimeoutMs?: number;
}

export async function connectShared(options: ConnectOptions): Promise<SharedDb> {
  const pg = await loadPg();
  // Exact integers: BIGINT (int8, 20) and NUMERIC (1700) arrive as strings and are parsed by
  // src/money, never as floats.
  // node-postgres lets the URL's fields override explicit ones, so the password joins the URL here,
  // in memory only, for this connection.
  const withPassword = new URL(options.url);
  if (options.password !== null) withPassword.password = encodeURIComponent(options.password);
  const client = new pg.Client({
    connectionString: withPassword.toString(),
    application_name: options.applicationName ?? 'burnrate',
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: { getTypeParser: (oid: number, format?: string) => (oid === 20 || oid === 1700 ? (v: string) => v : pg.types.getTypeParser(oid, format as 'text')) },
  });
  // An idle connection dropped by the server must not crash the process; the next query fails instead.
  client.on('error', () => undefined);
  await client.connect();
  const query = async <R>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> => {
    const r = await client.query(sql, params as unknown[] | undefined);
    return { rows: r.rows as R[], rowCount: r.rowCount };
  };
  return {
    query,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work({ query });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** The URL without its password, and the password apart (for the keychain). */
export function splitPassword(url: string): { url: string; password: string | null } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

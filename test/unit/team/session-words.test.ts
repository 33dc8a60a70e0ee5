import { describe, expect, it } from 'vitest';
import { unreachable } from '../../../src/team/session';

// The sentence a failed connection to the team database gets (the CLI's, MCP's and the window's):
// where, why in words rather than Node's error codes, and what to check. Never the password.

/** An error as node-postgres rejects connect() with (Node's network errors, or the server's SQLSTATE). */
const failure = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('a team database that cannot be reached', () => {
  it('says that nothing accepts connections there, and to check the address, the database and what it accepts', () => {
    const e = unreachable('postgres://bob:secret@127.0.0.1:9/team', failure('connect ECONNREFUSED 127.0.0.1:9', { code: 'ECONNREFUSED', address: '127.0.0.1', port: 9 }));
    expect(e.reason).toBe('team_store_unreachable');
    expect(e.message).toBe(
      'The team database at postgres://bob@127.0.0.1:9/team did not answer (nothing accepts connections at 127.0.0.1:9); check the host and port, that the database is running, and that it accepts connections from this machine.',
    );
  });

  it('says a host name is unknown, and a refused login is about the user name and password, not the network', () => {
    const unknown = unreachable('postgres://bob@db.invalid/team', failure('getaddrinfo ENOTFOUND db.invalid', { code: 'ENOTFOUND', hostname: 'db.invalid' }));
    expect(unknown.message).toMatch(/^The team database at postgres:\/\/bob@db\.invalid\/team did not answer \(the host name db\.invalid could not be found\); check the host and port/);
    const login = unreachable('postgres://bob:secret@db.example.com/team', failure('password authentication failed for user "bob"', { code: '28P01' }));
    expect(login.message).toBe('The team database at postgres://bob@db.example.com/team refused the login (password authentication failed for user "bob"); check the user name and the password.');
    for (const e of [unknown, login]) expect(e.message).not.toMatch(/secret|ENOTFOUND|28P01/);
  });

  it('says a server that answered and refused (a missing database, no TLS) answered, and what to check then', () => {
    const missing = unreachable('postgres://bob:secret@db.example.com/nodb', failure('database "nodb" does not exist', { code: '3D000' }));
    expect(missing.message).toBe('The team database at postgres://bob@db.example.com/nodb answered but refused the connection (database "nodb" does not exist); check the database name and the connection settings in the URL.');
    const tls = unreachable('postgres://db.example.com/team?sslmode=require', new Error('The server does not support SSL connections'));
    expect(tls.message).toMatch(/answered but refused the connection \(The server does not support SSL connections\)/);
    // Node's own codes are network failures, whatever their length.
    expect(unreachable('postgres://h/team', failure('write EPIPE', { code: 'EPIPE' })).message).toMatch(/did not answer/);
  });

  it('keeps any other cause as it came', () => {
    expect(unreachable('postgres://h/team', new Error('Connection terminated due to connection timeout')).message).toMatch(/did not answer \(Connection terminated due to connection timeout\); check the host/);
  });
});

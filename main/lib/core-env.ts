import { INSECURE_BASE_URL_ENV } from '../../src/providers/registry';

/**
 * The environment the desktop app's core sees. The packaged app drops the development switch that
 * allows plain http:// base URLs to other machines, so a stray variable can never send an admin
 * key in clear; a development build (npm start) keeps it for work against a test server.
 */
export function coreEnv(env: NodeJS.ProcessEnv, isPackaged: boolean): NodeJS.ProcessEnv {
  if (!isPackaged || env[INSECURE_BASE_URL_ENV] === undefined) return env;
  const copy = { ...env };
  delete copy[INSECURE_BASE_URL_ENV];
  return copy;
}

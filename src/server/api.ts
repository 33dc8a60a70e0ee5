import type { IncomingMessage, ServerResponse } from 'node:http';
import { contract, isMethodName } from '../api/contract';
import { dispatch } from '../api/dispatch';
import { PAGE_ORIGINS, SCRIPT_ORIGINS, vouchedOrigin } from '../api/origin';
import type { Core } from '../app/open';
import type { AuthVia } from './auth';
import { CLOUDEVENTS_TYPES, MAX_EVENTS_BODY_BYTES, readJsonBody } from './body';
import { sendExport } from './export';
import { HttpError, sendJson } from './respond';
import { inputFromQuery } from './query';

/** GET for reads (safe to retry, cacheable by nobody), POST for writes: straight from the contract. */
export function verbOf(name: string): 'GET' | 'POST' | null {
  if (!isMethodName(name)) return null;
  return contract[name].kind === 'read' ? 'GET' : 'POST';
}

/** Every route the contract gives, for docs and tests: derived, never hand-listed. */
export function apiRoutes(): { method: string; verb: 'GET' | 'POST'; path: string; description: string }[] {
  return Object.entries(contract).map(([name, spec]) => ({
    method: name,
    verb: spec.kind === 'read' ? 'GET' : 'POST',
    path: `/api/${name}`,
    description: spec.description,
  }));
}

/**
 * Input fields no caller over HTTP may give: they name paths of this machine, which a holder of the
 * token (a script, another page) must not make the core read, nor learn whether they exist. The
 * desktop app (IPC) and the CLI, which run as the user, take them.
 */
const LOCAL_ONLY: Readonly<Record<string, readonly string[]>> = { agentsImport: ['path'] };

function refuseLocalOnly(name: string, input: unknown): void {
  const given = (LOCAL_ONLY[name] ?? []).filter((field) => typeof input === 'object' && input !== null && Object.hasOwn(input, field));
  if (given.length > 0) {
    throw new HttpError(400, 'invalid_input', `${name} over HTTP reads the usual folders only: a folder of this machine (${given.join(', ')}) is named in the desktop app or on its command line.`);
  }
}

/**
 * One call of a contract method over HTTP; the caller has already checked Host and auth (`via`: the
 * dashboard's cookie, or a script's bearer token, which decides the origin it may claim).
 */
export async function serveMethod(core: Core, req: IncomingMessage, res: ServerResponse, name: string, query: URLSearchParams, via: AuthVia): Promise<void> {
  const verb = /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? verbOf(name) : null;
  if (verb === null || !isMethodName(name)) {
    throw new HttpError(404, 'not_found', `There is no operation named "${name}"; see docs/http-api.md for the list.`);
  }
  if (req.method !== verb) {
    const how = verb === 'GET' ? 'a read: use GET with the input in the query string' : 'a write: use POST with a JSON body';
    throw new HttpError(405, 'invalid_input', `${name} is ${how}.`, { Allow: verb });
  }
  let input: unknown;
  if (verb === 'GET') {
    input = inputFromQuery(query, contract[name].input);
  } else {
    if ([...query.keys()].length > 0) {
      throw new HttpError(400, 'invalid_input', `${name} takes its input in the JSON body, not in the query string.`);
    }
    input = name === 'usageEvents' ? await readJsonBody(req, MAX_EVENTS_BODY_BYTES, CLOUDEVENTS_TYPES) : await readJsonBody(req);
  }
  refuseLocalOnly(name, input);
  input = vouchedOrigin(name, input, via === 'cookie' ? PAGE_ORIGINS : SCRIPT_ORIGINS);
  if (name === 'export') return sendExport(core, res, input); // streamed: any size in constant memory
  const result = await dispatch(core, name, input);
  sendJson(res, 200, result ?? null);
}

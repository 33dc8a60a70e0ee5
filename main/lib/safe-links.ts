/**
 * Which links may leave the app for the user's browser (Electron checklist item 15). A pure
 * predicate; its only caller is main/safe-open.ts, the one place shell.openExternal is used.
 * https only, to a short list of exact hosts: the providers' consoles where readings, usage and
 * keys live. No credentials, no custom ports, nothing else.
 */
export const EXTERNAL_HOSTS: readonly string[] = Object.freeze([
  'console.groq.com',
  'platform.openai.com',
  'console.anthropic.com',
  'openrouter.ai',
  'platform.deepseek.com',
  'console.x.ai',
  'console.mistral.ai',
  'console.perplexity.ai',
  'www.perplexity.ai',
  'aistudio.google.com',
]);

const MAX_URL_LENGTH = 2048;

export function isSafeExternalUrl(raw: unknown): boolean {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > MAX_URL_LENGTH) return false;
  // URL() silently strips tabs and newlines; a link carrying them is not one we produced.
  for (const ch of raw) {
    const code = ch.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f) return false;
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:') return false;
  if (url.username !== '' || url.password !== '') return false;
  if (url.port !== '') return false;
  return EXTERNAL_HOSTS.includes(url.hostname);
}

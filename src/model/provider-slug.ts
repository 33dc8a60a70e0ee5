/**
 * "ChatGPT Plus" → "chatgpt-plus": the ledger's provider name for a subscription filed under its own
 * name (no --provider). Pure, so the window tells such a subscription apart from one filed under a
 * provider, with the core's own rule.
 */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** Whether a subscription is filed under its own name (chatgpt-plus), not under a provider picked or typed (anthropic, qwen). */
export function filedUnderOwnName(s: { provider: string; name: string }): boolean {
  return s.provider === slugOf(s.name);
}

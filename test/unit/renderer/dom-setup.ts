// Component tests (jsdom) wait for what a user would see with Testing Library's findBy*/waitFor.
// Their default ceiling is 1 s, which a loaded 2-core CI runner exceeds: the Budgets view's first
// save took 0.7 s on an idle machine and timed out in CI. A wait ends as soon as its condition
// holds, so a longer ceiling slows no passing test; it only stops load from failing a correct one.
// Node-environment tests load it too (vitest's setupFiles apply to every file) and skip it.
export {};
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 10_000 });
}

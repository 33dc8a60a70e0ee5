// npm run deps: the import graph of src/ by the floors of docs/architecture.md, counted by madge.
// Prints the import circles and the imports that point the wrong way (domain code or src/model up
// into src/api or src/app; src/model into anything but money and time), as numbers and the list.
// `--json` prints one JSON document instead. Exit code 1 when there is a circle.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import madge from 'madge';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Who may import src/api (the contract) and src/app (open the core): the composition root and the
 * transports. Everything else (the domain folders, src/model, shared files like money.ts) speaks
 * src/model's vocabulary. eslint.config.js holds the same rule.
 */
export const OPENS_THE_CORE = ['app', 'api', 'server', 'cli', 'mcp', 'jobs', 'cli.ts'];

const top = (file) => file.split('/')[0];

/** Why an import from `from` to `to` (paths relative to src/) breaks a floor, or null. */
export function wrongWay(from, to) {
  const a = top(from);
  const b = top(to);
  if (a === 'model' && b !== 'model' && to !== 'money.ts' && to !== 'time.ts') return 'src/model imports only money and time';
  if (b === 'api' && !OPENS_THE_CORE.includes(a)) return 'only the transports import src/api';
  if (b === 'app' && !OPENS_THE_CORE.includes(a)) return 'only the composition root and the transports open the core';
  return null;
}

/** The graph of src/ (type-only imports count: they tie the floors together just the same). */
export async function measure(base = root) {
  const graph = await madge(path.join(base, 'src'), {
    fileExtensions: ['ts'],
    tsConfig: path.join(base, 'tsconfig.json'),
    detectiveOptions: { ts: { skipTypeImports: false } },
  });
  const deps = graph.obj();
  const upward = [];
  for (const [from, tos] of Object.entries(deps)) {
    for (const to of tos) {
      const why = wrongWay(from, to);
      if (why) upward.push({ from, to, why });
    }
  }
  return { files: Object.keys(deps).length, circles: graph.circular(), upward };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const result = await measure();
  if (process.argv.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    const lines = [
      `files: ${result.files}`,
      `import circles: ${result.circles.length}`,
      ...result.circles.map((c, i) => `  ${i + 1}) ${c.join(' > ')}`),
      `upward imports: ${result.upward.length}`,
      ...result.upward.map((u) => `  src/${u.from} -> src/${u.to}  (${u.why})`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
  process.exitCode = result.circles.length > 0 ? 1 : 0;
}

// ESLint makes the layer boundaries of docs/architecture.md real, not just documented.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import mainRules from './main/eslint.rules.mjs';

const electronOnlyInMain = {
  name: 'electron',
  message: 'The core (src/) and the renderer never import electron: side effects enter through interfaces passed to openCore.',
};

const shellPatterns = [
  { group: ['**/main/**', '../main', '../../main', '../../../main'], message: 'src/ never imports main/.' },
  { group: ['**/renderer/**', '../renderer', '../../renderer'], message: 'src/ never imports renderer/.' },
];

// Only these import src/api (the contract) and src/app (open the core): the composition root and
// the transports. The domain (budget, odometer, ledger, pricing, providers, sync, reconcile,
// notify, secrets) and src/model speak src/model's vocabulary; scripts/deps.mjs counts the same.
const OPENS_THE_CORE = ['src/app/**/*.ts', 'src/api/**/*.ts', 'src/server/**/*.ts', 'src/cli/**/*.ts', 'src/cli.ts', 'src/mcp/**/*.ts', 'src/jobs/**/*.ts'];

const appPattern = [
  {
    regex: '^\\.{1,2}/(\\.\\./)*(app(/|$)|core$)',
    message: 'Only src/app, the transports (api, server, cli, mcp, jobs) and main/ open the core; domain code takes the Core type from src/model/context.',
  },
];
const apiPattern = [
  {
    regex: '^\\.{1,2}/(\\.\\./)*api(/|$)',
    message: 'Only the transports import src/api: domain code takes view types, events and ports from src/model, and the transports translate them.',
  },
];
const modelPattern = {
  regex: '^\\.\\./(?!(money|time)$)',
  message: 'src/model is the bottom floor: it imports only src/money.ts and src/time.ts.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'native/**', 'src/agents/wasm/**', 'test/artifacts/**', 'coverage/**', '**/*.cjs', 'main/eslint.rules.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', setTimeout: 'readonly',
        clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', URL: 'readonly',
        fetch: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', NodeJS: 'readonly',
        window: 'readonly', document: 'readonly', EventSource: 'readonly', navigator: 'readonly', localStorage: 'readonly',
        setImmediate: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly',
        Response: 'readonly', Request: 'readonly', Headers: 'readonly', HTMLElement: 'readonly', HTMLInputElement: 'readonly',
        HTMLCanvasElement: 'readonly', KeyboardEvent: 'readonly', MouseEvent: 'readonly', Event: 'readonly', matchMedia: 'readonly',
        requestAnimationFrame: 'readonly', Blob: 'readonly', globalThis: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      'no-console': 'off',
    },
  },
  // The core: plain Node. Never electron, never main/ or renderer/. Inside src/, the floors of
  // docs/architecture.md: src/model at the bottom, the domain above it, src/api and the transports
  // above that, src/app (the composition root) on top. ESLint replaces a rule's options per file,
  // so each block below repeats the patterns of the blocks it narrows.
  {
    files: ['src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInMain], patterns: [...shellPatterns, ...appPattern, ...apiPattern] }] },
  },
  // Every SQLite connection of the core takes this process's native binary (src/ledger/sqlite.ts).
  {
    files: ['src/**/*.ts'],
    ignores: ['src/ledger/sqlite.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='BetterSqlite3']", message: 'Open connections with openSqlite (src/ledger/sqlite.ts): it loads the native binary this process runs on.' }],
    },
  },
  {
    files: OPENS_THE_CORE,
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInMain], patterns: shellPatterns }] },
  },
  {
    files: ['src/model/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electronOnlyInMain], patterns: [...shellPatterns, modelPattern] }] },
  },
  // The renderer: may import only *types* from src/ (its contract), never runtime code or electron.
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [
            // Four exceptions, pure and without imports: the provider palette (shared with the month
            // report), the input patterns (the window checks a field as the core does), the agents'
            // names (the window's labels are the core's sentences' words) and a subscription's own
            // provider name (the window tells "filed under its own name" with the core's rule).
            { regex: '(^|/)src(/(?!model/(provider-colors|input-patterns|agent-titles|provider-slug)$).*)?$', allowTypeImports: true, message: 'renderer/ imports only types from src/ (import type …).' },
            { group: ['**/main/**'], message: 'renderer/ never imports main/: it talks to the core through window.burnrate.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  // main/: only main/ipc.ts touches ipcMain, only the preload touches ipcRenderer, links leave only
  // through main/safe-open.ts, and main/lib/ stays Electron-free at run time (see that file).
  ...mainRules,
);

// ESLint makes the layer boundaries of docs/architecture.md real, not just documented.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import mainRules from './main/eslint.rules.mjs';

const electronOnlyInMain = {
  name: 'electron',
  message: 'The core (src/) and the renderer never import electron: side effects enter through interfaces passed to openCore.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'release/**', 'node_modules/**', 'native/**', 'test/artifacts/**', 'coverage/**', '**/*.cjs', 'main/eslint.rules.mjs'],
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
  // The core: plain Node. Never electron, never main/ or renderer/.
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInMain],
          patterns: [
            { group: ['**/main/**', '../main', '../../main', '../../../main'], message: 'src/ never imports main/.' },
            { group: ['**/renderer/**', '../renderer', '../../renderer'], message: 'src/ never imports renderer/.' },
          ],
        },
      ],
    },
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
            { group: ['**/src/**', '../src', '../../src'], allowTypeImports: true, message: 'renderer/ imports only types from src/ (import type …).' },
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

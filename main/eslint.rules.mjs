// ESLint rules of the Electron shell, to be spread at the end of eslint.config.js:
//
//   import mainRules from './main/eslint.rules.mjs';
//   export default tseslint.config(…, ...mainRules);
//
// They make the shell's boundaries real (style.md habits 2, 6, 7):
// - main/lib/** is Electron-free at run time (type imports allowed), so unit tests run it under Node;
// - only main/ipc.ts touches ipcMain, only main/preload.ts touches ipcRenderer and contextBridge,
//   only main/safe-open.ts touches shell (links leave the app through one guarded function).
// ESLint replaces (does not merge) a rule's options per file, so each exception lists the rest.

const ban = {
  ipcMain: { name: 'electron', importNames: ['ipcMain'], message: 'Only main/ipc.ts touches ipcMain.' },
  ipcRenderer: { name: 'electron', importNames: ['ipcRenderer'], message: 'Only main/preload.ts touches ipcRenderer.' },
  contextBridge: { name: 'electron', importNames: ['contextBridge'], message: 'Only main/preload.ts exposes anything to pages.' },
  shell: { name: 'electron', importNames: ['shell'], message: 'Open links only through main/safe-open.ts (openExternalSafely).' },
};
const subpaths = (entry) => [entry, { ...entry, name: 'electron/main' }, { ...entry, name: 'electron/renderer' }, { ...entry, name: 'electron/common' }];
const only = (...names) => ({
  'no-restricted-imports': ['error', { paths: Object.entries(ban).filter(([k]) => !names.includes(k)).flatMap(([, v]) => subpaths(v)) }],
});

export default [
  { files: ['main/**/*.ts'], rules: only() },
  { files: ['main/ipc.ts'], rules: only('ipcMain') },
  { files: ['main/preload.ts'], rules: only('ipcRenderer', 'contextBridge') },
  { files: ['main/safe-open.ts'], rules: only('shell') },
  {
    // Pure modules: tested under plain Node, so no run-time import of electron at all.
    files: ['main/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'electron/main', 'electron/renderer', 'electron/common'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'main/lib is Electron-free at run time (tests run it under Node); put Electron calls in a thin file in main/.',
          })),
        },
      ],
    },
  },
];

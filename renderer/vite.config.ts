import path from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { methodKindsPlugin } from '../scripts/method-kinds-plugin';

const here = path.dirname(fileURLToPath(import.meta.url));

// One page (index.html, hash routes) built into dist/renderer. base './' makes every asset URL
// relative, so the same build loads from app://burnrate/ in Electron and from
// http://127.0.0.1:PORT/ under `burnrate serve`.
export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), methodKindsPlugin()],
  // `npx vite renderer` for development: /api goes to a running `burnrate serve` (BURNRATE_API,
  // default its usual port) with the token it was started with (BURNRATE_TOKEN).
  server: {
    host: '127.0.0.1',
    proxy: {
      '/api': {
        target: process.env.BURNRATE_API ?? 'http://127.0.0.1:4317',
        changeOrigin: true,
        headers: process.env.BURNRATE_TOKEN ? { Authorization: `Bearer ${process.env.BURNRATE_TOKEN}` } : {},
      },
    },
  },
  build: {
    outDir: path.join(here, '..', 'dist', 'renderer'),
    emptyOutDir: true,
    // The polyfill is a script of its own; the CSP (script-src 'self') wants nothing inline anyway.
    modulePreload: { polyfill: false },
    sourcemap: true,
    chunkSizeWarningLimit: 1024,
  },
});

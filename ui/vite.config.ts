import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// The app loads only its own bundled files: no CDN, no remote fonts (see the CSP in
// src-tauri/tauri.conf.json). Vitest tests sit beside the sources as *.test.ts(x).
export default defineConfig({
  plugins: [preact()],
  clearScreen: false,
  build: {
    target: 'safari15',
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
  },
});

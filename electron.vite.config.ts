// electron-vite builds the three pieces: main (+ the core and compute pool workers), the sandboxed preload, and the renderer.
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/electron/main.ts'),
          'core-worker': resolve(root, 'src-main/app/core-worker.ts'),
          // Compute pool worker (thread or child process); pool.ts finds it next to itself.
          'compute-pool-worker': resolve(root, 'src-main/compute/pool/worker.ts'),
          // The app's compute tasks, which each pool worker imports (app/compute.ts finds it beside itself).
          'compute-tasks': resolve(root, 'src-main/app/compute-tasks.ts'),
        },
        output: { format: 'es', entryFileNames: '[name].js' },
      },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: true,
      rollupOptions: {
        input: { preload: resolve(root, 'src-main/electron/preload.ts') },
        // Sandboxed preloads must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
      chunkSizeWarningLimit: 2000,
    },
  },
});

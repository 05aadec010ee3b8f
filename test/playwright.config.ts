import { defineConfig } from '@playwright/test';

// Debian's Chromium; Playwright never downloads a browser here.
export const CHROMIUM = process.env.ECGATK_CHROMIUM ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: './e2e',
  timeout: 60_000,
  // Assertions wait up to 15 s: on a busy 2-core machine the first render after a server start can take longer than 5 s.
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    headless: true,
    launchOptions: {
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});

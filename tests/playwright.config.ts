import { defineConfig } from '@playwright/test';

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';

/** Flags that keep Debian's Chromium quiet on a machine without outside network, running as root. */
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: './e2e',
  outputDir: './.output/results',
  globalSetup: './e2e/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  // Two cores shared with a server, a browser and axe: give assertions room before calling them failed.
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    // Set by global-setup, which starts the production server on a free port.
    baseURL: process.env.DUIZHAO_BASE_URL,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'retain-on-failure',
  },
  projects: [
    // The embedded default (npm start): every suite.
    { name: 'chromium', testIgnore: /\/(worker|proxy)\.spec\.ts$/, use: { browserName: 'chromium' } },
    // The deployment guide behind nginx with TLS (its own build, server and nginx): Chromium reaches
    // https://duizhao.test:<port> on 127.0.0.1. Its tests run in order in one worker (the last
    // one stops the server), and each may wait for the suite's build on a busy machine.
    {
      name: 'proxy',
      testMatch: /\/proxy\.spec\.ts$/,
      fullyParallel: false,
      timeout: 90_000,
      use: {
        browserName: 'chromium',
        ignoreHTTPSErrors: true,
        launchOptions: { executablePath: chromiumPath, args: [...chromiumArgs, '--host-resolver-rules=MAP duizhao.test 127.0.0.1'] },
      },
    },
    // The serverless target (npm run preview:cloudflare, workerd + local D1): the comment, moderation, reader-signal and dashboard suites.
    {
      name: 'cloudflare',
      testMatch: /\/(comments|dashboard|moderation|signals|worker)\.spec\.ts$/,
      // No retries: a failure here is a failure. The tests never write the local D1 file while the
      // Worker runs (workerd's D1 answers a write that meets another connection's lock with a 500
      // instead of waiting): they prepare data through the site's API, and read the file read-only.
      // The Worker's output is kept in tests/.output/worker.log.
      // One test at a time: workerd and wrangler's proxy are the slowest server, and on two shared
      // cores a second test beside it pushed the axe checks past their 30 s.
      workers: 1,
      use: { browserName: 'chromium', baseURL: process.env.DUIZHAO_CLOUDFLARE_BASE_URL },
    },
  ],
});

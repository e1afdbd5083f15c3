import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { findTranslatedEssay, getFreePort } from './fixtures.ts';

/** The author's preview (`npm run dev`) against the production build: same type, same layout, no CSP errors. */

const projectRoot = join(import.meta.dirname, '..', '..');
const essay = findTranslatedEssay();

let devServer: ChildProcess | undefined;
let blocker: Server | undefined;
let devOutput = '';
let devBaseURL = '';
let askedPort = 0;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(120_000);
  // The asked port is taken, as when `npm start` still runs on 4321: the preview moves and must say so.
  askedPort = await getFreePort();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker?.listen(askedPort, '127.0.0.1', resolve));
  devServer = spawn(
    join(projectRoot, 'node_modules/.bin/node'),
    [join(projectRoot, 'node_modules/astro/bin/astro.mjs'), 'dev', '--port', String(askedPort), '--host', '127.0.0.1'],
    {
      cwd: projectRoot,
      env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', COMMENTS_DB: join(projectRoot, 'tests/.output/dev-comments.db') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  devServer.stdout?.on('data', (chunk) => (devOutput += chunk));
  devServer.stderr?.on('data', (chunk) => (devOutput += chunk));
  const deadline = Date.now() + 90_000;
  for (;;) {
    const moved = /this preview is on (http:\/\/\S+?)\/?\s/.exec(devOutput);
    if (moved?.[1]) {
      devBaseURL = moved[1].replace('localhost', '127.0.0.1');
      try {
        if ((await fetch(`${devBaseURL}/zh/`)).ok) break;
      } catch {
        // not answering yet
      }
    }
    if (devServer.exitCode !== null || Date.now() > deadline) throw new Error(`astro dev did not start:\n${devOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  devServer?.kill('SIGTERM');
  await new Promise<void>((resolve) => blocker?.close(() => resolve()) ?? resolve());
});

interface PageLook {
  bodyFont: string;
  titleFont: string;
  titleSize: string;
  paragraphFont: string;
  background: string;
  column: { x: number; width: number };
}

async function readLook(page: Page): Promise<PageLook> {
  return page.evaluate(() => {
    const style = (selector: string) => getComputedStyle(document.querySelector(selector) ?? document.body);
    const column = document.querySelector('.essay-grid p')?.getBoundingClientRect();
    return {
      bodyFont: style('body').fontFamily,
      titleFont: style('h1').fontFamily,
      titleSize: style('h1').fontSize,
      paragraphFont: style('.essay-grid p').fontFamily,
      background: style('body').backgroundColor,
      column: { x: Math.round(column?.x ?? -1), width: Math.round(column?.width ?? -1) },
    };
  });
}

test('when its port is taken, the preview says where it went', () => {
  expect(devOutput).toContain(`Port ${askedPort} is in use`);
  expect(devBaseURL).not.toContain(`:${askedPort}`);
});

for (const lang of ['zh', 'en'] as const) {
  test(`the preview of an essay (${lang}) looks like the build, with no CSP errors`, async ({ page }) => {
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1280, height: 900 });
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.goto(`/${lang}/essays/${essay.slug}/`);
    const built = await readLook(page);
    await page.goto(`${devBaseURL}/${lang}/essays/${essay.slug}/`);
    // The page's own heading: once Astro's dev toolbar has drawn, it has h1s of its own (in its shadow root).
    await expect(page.locator('#main h1')).toBeVisible();
    const preview = await readLook(page);
    expect(preview).toEqual(built);
    expect(errors.filter((text) => /Content Security Policy|Refused to/.test(text))).toEqual([]);
  });
}

/** An essay whose English version is a draft: left out of the build, shown by the preview. */
function findDraftEssay(): string {
  const essaysDir = join(projectRoot, 'content', 'essays');
  const slug = readdirSync(essaysDir).find((name) => {
    const file = join(essaysDir, name, 'en.mdx');
    return existsSync(file) && /^draft:\s*true/m.test(readFileSync(file, 'utf8'));
  });
  if (!slug) throw new Error('The demo content has no English draft to preview');
  return slug;
}

test('the preview shows drafts, marked as drafts', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${devBaseURL}/en/essays/${findDraftEssay()}/`);
  await expect(page.getByRole('note').filter({ hasText: 'Draft' })).toBeVisible();
});

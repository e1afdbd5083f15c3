import { expect, test } from '@playwright/test';
import { expectFramingRefused, findTranslatedEssay, listStaticFileSamples } from './fixtures.ts';

const essay = findTranslatedEssay();

test('pages carry a Content-Security-Policy without unsafe-inline scripts, and the preference script still runs', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  for (const path of ['/zh/', `/en/essays/${essay.slug}/`, `/zh/essays/${essay.slug}/parallel/`, '/en/no-such-page/']) {
    const response = await page.goto(path);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp, path).toContain("script-src 'self'");
    expect(csp, path).not.toContain('unsafe-inline');
    expect(response?.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(response?.headers()['referrer-policy'], path).toBe('strict-origin-when-cross-origin');
    await expect(page.locator('html')).toHaveClass(/js/);
  }
  expect(violations).toEqual([]);
});

test('search runs under the CSP: WebAssembly allowed on the search pages only, never eval or inline scripts', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  for (const lang of ['zh', 'en']) {
    const response = await page.goto(`/${lang}/search/?q=TikTok`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
    await expect(page.getByRole('status')).toHaveText(/\d/);
    await expect(page.getByRole('region').first()).toBeVisible();
  }
  for (const path of ['/zh/', `/en/essays/${essay.slug}/`]) {
    const csp = (await page.goto(path))?.headers()['content-security-policy'] ?? '';
    expect(csp, path).not.toContain('wasm-unsafe-eval');
  }
  expect(violations).toEqual([]);
});

test('every static file says nosniff, and pages may not be framed', async ({ request }) => {
  const files = listStaticFileSamples(`${process.env.DUIZHAO_DIST_DIR ?? 'dist'}/client`);
  expect(files.length).toBeGreaterThan(10);
  for (const path of files) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
    if (!path.endsWith('/')) continue;
    expect(response.headers()['x-frame-options'], path).toBe('DENY');
    // Added to the page's own policy, which keeps its script hashes.
    expect(response.headers()['content-security-policy'], path).toMatch(/script-src 'self' 'sha256-.*; frame-ancestors 'none'$/);
  }
});

test('another site cannot show a page in a frame', async ({ page, baseURL }) => {
  await expectFramingRefused(page, `${baseURL}/en/essays/${essay.slug}/`);
});

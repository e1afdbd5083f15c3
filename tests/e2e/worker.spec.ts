import { expect, test } from '@playwright/test';
import { expectFramingRefused, listStaticFileSamples } from './fixtures.ts';

// Run by the "cloudflare" project only (playwright.config.ts): what the Worker and its static assets answer.

test('static pages come from the Worker’s assets with security headers and a CSP without inline scripts', async ({ page, request }) => {
  const response = await request.get('/zh/');
  expect(response.status()).toBe(200);
  expect(response.headers()['x-content-type-options']).toBe('nosniff');
  expect(response.headers()['referrer-policy']).toBe('strict-origin-when-cross-origin');

  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto('/en/');
  const policy = await page.locator('meta[http-equiv="content-security-policy"]').getAttribute('content');
  expect(policy).toMatch(/script-src [^;]*'sha256-/);
  expect(policy).not.toMatch(/script-src [^;]*'unsafe-inline'/);
  // The inline preference script ran under that policy (it marks the page as having JavaScript).
  await expect(page.locator('html')).toHaveClass(/\bjs\b/);
  expect(errors.filter((text) => /Content Security Policy/i.test(text))).toEqual([]);
});

test('an unknown address gets the localized 404 page from the Worker', async ({ page }) => {
  const response = await page.goto('/en/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('every static asset says nosniff and may not be framed, the page’s meta policy left as it was', async ({ request }) => {
  const files = listStaticFileSamples('dist-cloudflare/client');
  expect(files.length).toBeGreaterThan(10);
  for (const path of files) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['x-content-type-options'], path).toBe('nosniff');
    expect(response.headers()['x-frame-options'], path).toBe('DENY');
    // The only policy in a header: frame-ancestors, which a <meta> policy cannot carry.
    expect(response.headers()['content-security-policy'], path).toBe("frame-ancestors 'none'");
  }
});

test('another site cannot show a page from the Worker in a frame', async ({ page, baseURL }) => {
  await expectFramingRefused(page, `${baseURL}/zh/`);
});

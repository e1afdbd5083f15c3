import { expect, test, type Page } from '@playwright/test';
import { findTranslatedEssay, getTestAddress } from './fixtures.ts';

// What the comment form tells a reader when the server cannot take the comment: what to do next,
// and the text is still there. The server's answers stand in through a test double (page.route),
// so the busy and failing cases do not need a database held busy.

const essay = findTranslatedEssay();

async function fillAndSend(page: Page, lang: 'zh' | 'en', body: string) {
  const labels =
    lang === 'zh' ? { name: '名字', body: '留言内容', submit: '发送留言' } : { name: 'Name', body: 'Comment', submit: 'Post comment' };
  await page.getByLabel(labels.name, { exact: true }).fill('Ann');
  await page.getByLabel(labels.body, { exact: true }).fill(body);
  await page.getByRole('button', { name: labels.submit }).click();
}

test.beforeEach(async ({ page }) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': getTestAddress() });
});

test('a busy server: the form says when to send again and keeps the text', async ({ page }) => {
  await page.route('**/api/comments/', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({
          status: 503,
          headers: { 'Retry-After': '7' },
          json: {
            error: {
              code: 'busy',
              message: 'The site is busy and your comment was not saved. Your text is still here: send it again in 7 seconds.',
              fields: {},
            },
          },
        })
      : route.fallback(),
  );
  await page.goto(`/en/essays/${essay.slug}/`);
  await fillAndSend(page, 'en', 'Words I want to keep.');
  await expect(page.getByRole('alert')).toHaveText(
    'The site is busy and your comment was not saved. Your text is still here: send it again in 7 seconds.',
  );
  await expect(page.getByLabel('Comment', { exact: true })).toHaveValue('Words I want to keep.');
  await expect(page.getByRole('button', { name: 'Post comment' })).toBeEnabled();
});

test('answers without our JSON (a proxy in between) are read from their status and Retry-After', async ({ page }) => {
  const answers: Array<{ status: number; headers: Record<string, string>; expected: string }> = [
    { status: 503, headers: { 'Retry-After': '1' }, expected: '网站正忙，留言没有保存。你写的内容还在，请 1 秒后再发送。' },
    { status: 413, headers: {}, expected: '留言太长，发不出去。请删减到 5000 字以内再发送。' },
    { status: 429, headers: { 'Retry-After': '120' }, expected: '发送太频繁了，请 2 分钟后再试。' },
    { status: 429, headers: { 'Retry-After': '45' }, expected: '发送太频繁了，请 45 秒后再试。' },
    { status: 502, headers: {}, expected: '服务器出错了，留言没有发出去。你写的内容还在，请稍后再试。' },
  ];
  let answer = answers[0]!;
  await page.route('**/api/comments/', (route) =>
    route.request().method() === 'POST'
      ? route.fulfill({ status: answer.status, headers: answer.headers, contentType: 'text/html', body: '<h1>Error</h1>' })
      : route.fallback(),
  );
  await page.goto(`/zh/essays/${essay.slug}/`);
  for (const next of answers) {
    answer = next;
    await fillAndSend(page, 'zh', '不想丢掉的一段话');
    await expect(page.getByRole('alert')).toHaveText(next.expected);
    await expect(page.getByLabel('留言内容')).toHaveValue('不想丢掉的一段话');
  }
});

test('a comment over the size limit, as the server really answers it', async ({ page }) => {
  await page.goto(`/en/essays/${essay.slug}/`);
  // The text area stops at 5,000 characters; a script (or an old page) can still send more.
  await page.getByLabel('Comment', { exact: true }).evaluate((textarea) => textarea.removeAttribute('maxlength'));
  await fillAndSend(page, 'en', '字'.repeat(12_000));
  await expect(page.getByRole('alert')).toHaveText(
    'Your comment is too long to send. Shorten it to at most 5000 characters and send it again.',
  );
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createUnsubscribeUrls } from '../../src/lib/email/unsubscribe-link.ts';
import { openReadOnlyDriver } from '../support/database-access.ts';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.ts';
import { findTranslatedEssay, getTestAddress, skipOnCloudflare, startServer, testServerSettings, type TestServer } from './fixtures.ts';

// The reply-email box and the unsubscribe page, on a Node server of their own with SMTP_URL set
// (the shared test servers send no email, so their forms show no box).

const essay = findTranslatedEssay();
const screenshots = join(import.meta.dirname, '..', '.output', 'email-screenshots');
let inbox: SmtpInbox;
let server: TestServer;
let folder: string;
let database: string;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  skipOnCloudflare('SMTP runs on the Node server only');
  inbox = await startSmtpInbox();
  folder = mkdtempSync(join(tmpdir(), 'duizhao-email-e2e-'));
  database = join(folder, 'comments.db');
  server = await startServer({
    ...testServerSettings,
    COMMENTS_DB: database,
    COMMENTS_MIN_FILL_SECONDS: '0',
    COMMENTS_RATE_LIMIT: '0',
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
    MAIL_FROM: 'comments@duizhao.example',
    SITE_URL: 'http://localhost:4321',
  });
});

test.afterAll(async () => {
  await server?.stop();
  await inbox?.close();
  if (folder) rmSync(folder, { recursive: true, force: true });
});

test.beforeEach(async ({ page }) => {
  skipOnCloudflare('SMTP runs on the Node server only');
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': getTestAddress() });
});

async function readSubscription(commentName: string): Promise<{ consented_at: number; email: string } | undefined> {
  const driver = openReadOnlyDriver(database);
  try {
    return await driver.get(
      'SELECT subscription.consented_at, comments.email FROM reply_subscriptions AS subscription JOIN comments ON comments.id = subscription.comment_id WHERE comments.name = ?1',
      [commentName],
    );
  } finally {
    await driver.close();
  }
}

async function getUnsubscribePath(commentName: string, lang: 'zh' | 'en'): Promise<string> {
  const driver = openReadOnlyDriver(database);
  try {
    const row = await driver.get<{ id: string }>('SELECT id FROM comments WHERE name = ?1', [commentName]);
    const secret = testServerSettings.COMMENTS_SECRET;
    const { page } = createUnsubscribeUrls(new URL(server.baseURL), lang, row!.id, secret);
    return `${page.pathname}${page.search}`;
  } finally {
    await driver.close();
  }
}

async function shoot(page: Page, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: join(screenshots, `${name}-${width}-${colorScheme}.png`), fullPage: false });
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('with JavaScript, the essay page offers reply emails once the server says it sends them, and stores the consent', async ({ page }) => {
  await page.goto(`${server.baseURL}/zh/essays/${essay.slug}/`);
  const box = page.getByRole('checkbox', { name: '有回复时邮件通知我' });
  await expect(box).toBeHidden();
  await page.getByLabel('名字', { exact: true }).fill('有脚本的读者');
  await expect(box).toBeVisible();
  await page.getByLabel('邮箱（选填）').fill('script@example.com');
  await page.getByLabel('留言内容', { exact: true }).fill('请在有人回复时告诉我。');
  await box.check();
  await page.locator('#comment-form').scrollIntoViewIfNeeded();
  await shoot(page, 'form-zh');
  const before = Date.now();
  await page.getByRole('button', { name: '发送留言' }).click();
  await expect(page.getByRole('status').filter({ hasText: '已收到你的留言，审核后会公开。' })).toBeVisible();
  const stored = await readSubscription('有脚本的读者');
  expect(stored?.email).toBe('script@example.com');
  expect(stored?.consented_at).toBeGreaterThanOrEqual(before - 1000);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the comments page shows the box, asks for the address when it is missing, and keeps the tick', async ({ page }) => {
    await page.goto(`${server.baseURL}/en/essays/${essay.slug}/comments/`);
    const box = page.getByRole('checkbox', { name: 'Email me when someone replies' });
    await expect(box).toBeVisible();
    await page.getByLabel('Name', { exact: true }).fill('Reader without scripts');
    await page.getByLabel('Comment', { exact: true }).fill('Tell me when someone answers.');
    await box.check();
    await page.getByRole('button', { name: 'Post comment' }).click();
    // Said at the address field, the field the reader must fill.
    await expect(page.getByLabel('Email (optional)')).toHaveAccessibleDescription(
      /Enter your email address to be told of replies, or untick the box\./,
    );
    await expect(box).toBeChecked();
    await page.locator('#comment-form').scrollIntoViewIfNeeded();
    await shoot(page, 'form-en-error');
    await page.getByLabel('Email (optional)').fill('noscript@example.com');
    await page.getByRole('button', { name: 'Post comment' }).click();
    await expect(page).toHaveURL(/#comment-received$/);
    expect((await readSubscription('Reader without scripts'))?.email).toBe('noscript@example.com');
  });

  test('the unsubscribe page asks, stops the emails with one button and says so, in the commenter’s language', async ({ page }) => {
    const path = await getUnsubscribePath('Reader without scripts', 'en');
    await page.goto(`${server.baseURL}${path}`);
    await expect(page.getByRole('heading', { level: 1, name: 'Reply emails' })).toBeVisible();
    await expect(page.getByText('Stop the emails telling you of replies to your comments?')).toBeVisible();
    await shoot(page, 'unsubscribe-en-ask');
    // The language switch keeps the signed link: the same question in Chinese, and back.
    await page.getByRole('navigation', { name: 'Switch language' }).getByRole('link', { name: '中文' }).click();
    await expect(page).toHaveURL(/\/zh\/unsubscribe\/\?/);
    await expect(page.getByText('不再接收评论回复的邮件通知？')).toBeVisible();
    await page.getByRole('navigation', { name: '切换语言' }).getByRole('link', { name: 'English' }).click();
    await expect(page).toHaveURL(new RegExp(`${path.replace(/[?.]/g, '\\$&')}$`));
    await page.getByRole('button', { name: 'Stop reply emails' }).click();
    await expect(page.getByRole('status')).toHaveText(
      'Done: you will get no more reply emails from this site. Your comments stay as they are.',
    );
    await shoot(page, 'unsubscribe-en-done');
  });
});

test('the unsubscribe page in Chinese, and a cut-short link refused in words', async ({ page }) => {
  const path = await getUnsubscribePath('有脚本的读者', 'zh');
  await page.goto(`${server.baseURL}${path}`);
  await page.getByRole('button', { name: '退订回复通知' }).click();
  await expect(page.getByRole('status')).toHaveText('已退订：本站不会再给你发送回复通知邮件。你的评论保持不变。');
  await shoot(page, 'unsubscribe-zh-done');
  const answer = await page.goto(`${server.baseURL}${path.slice(0, -10)}`);
  expect(answer?.status()).toBe(400);
  await expect(page.getByRole('alert')).toHaveText('这个退订链接无效，可能被截断或改动过。请从邮件中重新完整打开链接。');
  await shoot(page, 'unsubscribe-zh-invalid');
});

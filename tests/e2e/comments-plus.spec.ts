import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { findTranslatedEssay, getModerationApi, getTestAddress, getUniqueMark, moderator, signInAsModerator } from './fixtures.ts';

const essay = findTranslatedEssay();

async function post(request: APIRequestContext, fields: Record<string, unknown>): Promise<{ id: string; status: string }> {
  const response = await request.post('/api/comments/', {
    data: { essay: essay.slug, lang: 'en', name: getUniqueMark('Reader'), website: '', formToken: '', ...fields },
    headers: { 'x-forwarded-for': getTestAddress(), accept: 'application/json' },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: string; status: string };
}

async function waitForCommentList(page: Page) {
  await expect(page.locator('[data-comment-list]')).not.toHaveAttribute('aria-busy', 'true');
}

test('the form previews Markdown as it will be shown, and the essay page and comments page show it the same way', async ({
  page,
  request,
}) => {
  await page.setExtraHTTPHeaders({ 'x-forwarded-for': getTestAddress() });
  await page.goto(`/en/essays/${essay.slug}/`);
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview).toContainText('Your comment will appear here');
  const mark = getUniqueMark('md');
  const body = `**${mark}** and *soft*\n\n> quoted\n\n- one\n- two\n\n[site](https://example.com/a) [bad](javascript:window.__xss=1) \`<b>code</b>\``;
  await page.getByRole('textbox', { name: 'Comment' }).fill(body);
  await expect(preview.locator('strong')).toHaveText(mark);
  await expect(preview.locator('em')).toHaveText('soft');
  await expect(preview.locator('blockquote')).toHaveText('quoted');
  await expect(preview.locator('li')).toHaveText(['one', 'two']);
  await expect(preview.getByRole('link', { name: 'site' })).toHaveAttribute('rel', 'nofollow ugc noopener');
  await expect(preview.getByRole('link')).toHaveCount(1);
  await expect(preview).toContainText('[bad](javascript:window.__xss=1)');
  await expect(preview.locator('code')).toHaveText('<b>code</b>');
  await expect(preview.locator('b')).toHaveCount(0);

  const { id } = await post(request, { body });
  await (await getModerationApi()).approve(id);
  const rendered: string[] = [];
  for (const path of [`/en/essays/${essay.slug}/`, `/en/essays/${essay.slug}/comments/`]) {
    await page.goto(path);
    if (!path.endsWith('/comments/')) await waitForCommentList(page);
    const comment = page.locator(`#comment-${id} .comment-body`);
    await expect(comment.locator('strong')).toHaveText(mark);
    await expect(comment.getByRole('link')).toHaveCount(1);
    await expect(comment.getByRole('link', { name: 'site' })).toHaveAttribute('href', 'https://example.com/a');
    rendered.push(await comment.evaluate((element) => element.outerHTML.replace(/<!--.*?-->/g, '')));
  }
  expect(rendered[0]).toBe(rendered[1]);
  expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
});

test('the comments page previews as the essay page does, in the page’s language; without JavaScript it has no preview', async ({
  page,
  browser,
}) => {
  await page.goto(`/zh/essays/${essay.slug}/comments/`);
  const preview = page.getByRole('region', { name: '预览' });
  await expect(preview).toContainText('评论发表后读者看到的样子会显示在这里。');
  await page.getByRole('textbox', { name: '留言内容' }).fill('**重点** 和 [链接](https://example.com/)');
  await expect(preview.locator('strong')).toHaveText('重点');
  await expect(preview.getByRole('link', { name: '链接' })).toHaveAttribute('rel', 'nofollow ugc noopener');

  const withoutScripts = await browser.newContext({ javaScriptEnabled: false, baseURL: test.info().project.use.baseURL });
  try {
    const plain = await withoutScripts.newPage();
    await plain.goto(`/zh/essays/${essay.slug}/comments/`);
    await expect(plain.getByRole('textbox', { name: '留言内容' })).toBeVisible();
    await expect(plain.locator('[data-comment-preview]')).toBeHidden();
  } finally {
    await withoutScripts.close();
  }
});

test('a listed phrase sends a new comment to Spam, logged as automatic; one click releases it', async ({ page, request }) => {
  const phrase = getUniqueMark('cheap-pills').toLowerCase();
  await signInAsModerator(page, 'en');
  await page.getByRole('link', { name: 'Spam list' }).click();
  await page.getByLabel('Kind').selectOption('phrase');
  await page.getByLabel('Word, phrase or domain').fill(`  ${phrase.toUpperCase()} `);
  await page.getByRole('button', { name: 'Add to the list' }).click();
  await expect(page.getByText('Added to the spam list.')).toBeVisible();
  await expect(page.locator('.spam-rule-value', { hasText: phrase })).toHaveCount(1);
  // The same rule again is refused with a notice, not listed twice.
  await page.getByLabel('Word, phrase or domain').fill(phrase);
  await page.getByRole('button', { name: 'Add to the list' }).click();
  await expect(page.getByText('That rule is on the list already.')).toBeVisible();
  await expect(page.locator('.spam-rule-value', { hasText: phrase })).toHaveCount(1);

  const spam = await post(request, { body: `Buy ${phrase} today` });
  expect(spam.status).toBe('spam');
  const clean = await post(request, { body: `Not ${phrase}x, a real comment` });
  expect(clean.status).toBe('pending');

  await page.goto('/en/moderate/audit/');
  const entry = page.locator(`[data-comment-id="${spam.id}"]`);
  await expect(entry).toContainText('Automatic (spam list)');
  await expect(entry).toContainText(`Word or phrase “${phrase}”`);
  // Adding the rule is logged too, under the moderator's name, with the rule it added.
  await page.getByLabel('Action').selectOption({ label: 'added to the spam list' });
  await page.getByRole('button', { name: 'Filter' }).click();
  const added = page.locator('[data-audit-action="add-spam-rule"]', { hasText: phrase });
  await expect(added).toHaveCount(1);
  await expect(added.locator('.audit-moderator')).toHaveText(moderator.name);
  await expect(added.locator('.audit-rule')).toHaveText(`Word or phrase “${phrase}”`);

  await page.goto('/en/moderate/queue/?status=spam');
  const row = page.locator(`[data-comment-id="${spam.id}"]`);
  await expect(row).toContainText(`Buy ${phrase} today`);
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(page.locator(`[data-comment-id="${spam.id}"]`)).toHaveCount(0);
  await page.goto(`/en/essays/${essay.slug}/comments/`);
  await expect(page.locator(`#comment-${spam.id}`)).toContainText(`Buy ${phrase} today`);

  await page.goto('/en/moderate/spam-list/');
  await page.getByRole('button', { name: `Remove “${phrase}” from the list` }).click();
  await expect(page.getByText('Removed from the spam list.')).toBeVisible();
  await expect(page.locator('.spam-rule-value', { hasText: phrase })).toHaveCount(0);
  expect((await post(request, { body: `Buy ${phrase} again` })).status).toBe('pending');
  await page.goto('/zh/moderate/audit/?action=remove-spam-rule');
  const removed = page.locator('[data-audit-action="remove-spam-rule"]', { hasText: phrase });
  await expect(removed.locator('.audit-action')).toHaveText('从垃圾词表移除');
  await expect(removed.locator('.audit-rule')).toHaveText(`词语或短语“${phrase}”`);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ParsedMail } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEssayCatalog } from '../../src/lib/essay-files.ts';
import { startServer, type TestServer } from '../support/built-server.ts';
import { addModerator, openReadOnlyDriver } from '../support/database-access.ts';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.ts';

/**
 * Reply emails end to end: the built Node server (dist/) sends through nodemailer to a real SMTP
 * server in this process (smtp-server), and the tests read what it received.
 */
const projectRoot = join(import.meta.dirname, '..', '..');
const essays = readEssayCatalog(join(projectRoot, 'content/essays'), { includeDrafts: false });
const essay = essays.find((entry) => entry.titles.zh && entry.titles.en)!;
// A title inside “…” has its own double quotes turned single (the `nestedQuotes` format).
const nestedTitle = (essay.titles.en ?? '').replaceAll('“', '‘').replaceAll('”', '’');
const moderator = { name: 'email-suite', password: 'email suite password' };
// The build's own site (astro.config.mjs): the server refuses a SITE_URL the build was not made for.
const siteUrl = 'http://localhost:4321';
const mailFrom = '对照 duizhao <comments@duizhao.example>';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

interface Session {
  cookie: string;
  csrf: string;
}

async function postComment(
  server: TestServer,
  fields: Record<string, unknown>,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.baseURL}/api/comments/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ essay: essay.slug, lang: 'zh', name: '读者', body: '一条评论', website: '', ...fields }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function signIn(server: TestServer): Promise<Session> {
  const signedIn = await fetch(`${server.baseURL}/api/moderation/sign-in/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(moderator),
  });
  expect(signedIn.status).toBe(200);
  const cookie = signedIn.headers
    .getSetCookie()
    .map((value) => value.split(';')[0])
    .join('; ');
  const queue = await (await fetch(`${server.baseURL}/en/moderate/queue/`, { headers: { cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(queue)?.[1] ?? '';
  return { cookie, csrf };
}

async function act(server: TestServer, session: Session, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.baseURL}/api/moderation/actions/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify(data),
  });
  expect(response.status).toBeLessThan(300);
  return (await response.json()) as Record<string, unknown>;
}

/** The emails that arrive within `ms`, for asserting that none does. */
async function settle(ms = 1500): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** The one-click address from an email's List-Unsubscribe, pointed at the test server. */
function oneClickUrl(server: TestServer, header: unknown): string {
  const url = new URL(/<([^>]+)>/.exec(String(header))?.[1] ?? '');
  return `${server.baseURL}${url.pathname}${url.search}`;
}

/** A header as it was sent (mailparser reads List-* headers into objects of its own). */
function headerText(mail: ParsedMail, name: string): string {
  const line = mail.headerLines.find((header) => header.key === name)?.line ?? '';
  return line
    .slice(line.indexOf(':') + 1)
    .replace(/\r?\n\s+/g, ' ')
    .trim();
}

describe('reply emails through a real SMTP server', () => {
  let inbox: SmtpInbox;
  let server: TestServer;
  let session: Session;
  let folder: string;
  let database: string;

  const start = () =>
    startServer({
      COMMENTS_DB: database,
      COMMENTS_MIN_FILL_SECONDS: '0',
      COMMENTS_RATE_LIMIT: '0',
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      MAIL_FROM: mailFrom,
      SITE_URL: siteUrl,
      MAIL_RETRY_SECONDS: '0.2',
    });

  beforeAll(async () => {
    inbox = await startSmtpInbox();
    folder = mkdtempSync(join(tmpdir(), 'duizhao-email-'));
    database = join(folder, 'comments.db');
    server = await start();
    await addModerator(moderator, { kind: 'sqlite', path: database });
    session = await signIn(server);
  });
  afterAll(async () => {
    await server?.stop();
    await inbox?.close();
    rmSync(folder, { recursive: true, force: true });
  });
  afterEach(() => {
    inbox.messages.length = 0;
    inbox.isRefusing = false;
  });

  /** A subscribed comment, approved. */
  async function subscribedComment(fields: Record<string, unknown> = {}): Promise<string> {
    const posted = await postComment(server, { email: 'reader@example.com', notifyReplies: true, ...fields });
    expect(posted.status).toBe(201);
    const id = String(posted.json.id);
    if (fields.private !== true) await act(server, session, { action: 'approve', id: [id] });
    return id;
  }

  it('offers the box: the token API says so, and ticking it without an address is refused in the form’s language', async () => {
    const token = (await (await fetch(`${server.baseURL}/api/comments/token/`)).json()) as Record<string, unknown>;
    expect(token.notifyReplies).toBe(true);
    const page = await (await fetch(`${server.baseURL}/zh/essays/${essay.slug}/comments/`)).text();
    expect(page).toContain('有回复时邮件通知我');
    expect(page).toMatch(/<input[^>]*name="notifyReplies"(?![^>]*disabled)/);
    const refused = await postComment(server, { notifyReplies: true });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json)).toContain('要接收回复通知，请填写电子邮箱');
  });

  it('emails the commenter in Chinese once a reader’s reply is approved, never while it waits, and never twice', async () => {
    const parent = await subscribedComment();
    const reply = await postComment(server, { parent, name: '另一位读者', email: 'other@example.com', body: '我同意你的看法。'.repeat(3) });
    expect(reply.status).toBe(201);
    await settle();
    expect(inbox.messages).toHaveLength(0);

    await act(server, session, { action: 'approve', id: [String(reply.json.id)] });
    const [mail] = await inbox.waitFor(1);
    expect(mail!.subject).toBe(`另一位读者 回复了你在《${essay.titles.zh}》下的评论`);
    expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toBe('reader@example.com');
    expect(mail!.from?.text).toBe(`"对照 duizhao" <comments@duizhao.example>`);
    expect(mail!.text).toContain('读者，你好：');
    expect(mail!.text).toContain('> 我同意你的看法。');
    expect(mail!.text).toContain(`${siteUrl}/zh/essays/${essay.slug}/comments/#comment-${String(reply.json.id)}`);
    expect(mail!.text).toContain(`${siteUrl}/zh/unsubscribe/?c=${parent}&s=`);
    expect(headerText(mail!, 'list-unsubscribe')).toMatch(
      new RegExp(`^<${siteUrl}/api/email/unsubscribe/\\?c=${parent}&s=[\\w-]{43}&lang=zh>$`),
    );
    expect(headerText(mail!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail!.text).not.toContain('other@example.com');

    // Approved again (after a reject), the same reply sends nothing more.
    await act(server, session, { action: 'reject', id: [String(reply.json.id)] });
    await act(server, session, { action: 'approve', id: [String(reply.json.id)] });
    await settle();
    expect(inbox.messages).toHaveLength(1);
  });

  it('sends nothing to a commenter who did not tick the box, nor for a reply still pending or rejected', async () => {
    const unticked = await postComment(server, { email: 'quiet@example.com' });
    await act(server, session, { action: 'approve', id: [String(unticked.json.id)] });
    const parent = await subscribedComment();
    const replies = await Promise.all([
      postComment(server, { parent: String(unticked.json.id), name: '甲', body: '回复一' }),
      postComment(server, { parent, name: '乙', body: '回复二' }),
      postComment(server, { parent, name: '丙', body: '回复三' }),
    ]);
    await act(server, session, { action: 'approve', id: [String(replies[0].json.id)] });
    await act(server, session, { action: 'reject', id: [String(replies[2].json.id)] });
    await settle();
    expect(inbox.messages).toHaveLength(0);
  });

  it('sends the author’s answer to a private comment whole, in English', async () => {
    const parent = await subscribedComment({ lang: 'en', name: 'Reader', private: true, body: 'Only for the author.' });
    await act(server, session, { action: 'reply', id: parent, body: 'Thank you, this stays between us.\nSecond line.' });
    const [mail] = await inbox.waitFor(1);
    expect(mail!.subject).toBe(`The author answered your private comment on “${nestedTitle}”`);
    expect(mail!.text).toContain('Hello Reader,');
    expect(mail!.text).toContain('> Thank you, this stays between us.\n> Second line.');
    expect(mail!.text).not.toContain('/comments/#comment-');
    expect(mail!.text).toContain(`${siteUrl}/en/unsubscribe/?c=${parent}&s=`);
  });

  it('stops every email to the address with one click (RFC 8058), says so in the reader’s language, and refuses bad links', async () => {
    const parent = await subscribedComment();
    const first = await postComment(server, { parent, name: '回复者', body: '第一条回复' });
    await act(server, session, { action: 'approve', id: [String(first.json.id)] });
    const [mail] = await inbox.waitFor(1);
    const oneClick = oneClickUrl(server, headerText(mail!, 'list-unsubscribe'));
    const form = { 'content-type': 'application/x-www-form-urlencoded' };

    const url = new URL(oneClick);
    const signature = url.searchParams.get('s')!;
    const withSignature = (value: string) => {
      const copy = new URL(url);
      copy.searchParams.set('s', value);
      return copy.href;
    };
    // Forged, truncated and altered signatures, and another comment's id under this signature.
    for (const bad of [
      withSignature('A'.repeat(43)),
      withSignature(signature.slice(0, 20)),
      withSignature(''),
      `${withSignature(signature)}`.replace(`c=${parent}`, 'c=someone-else'),
    ]) {
      const answer = await fetch(bad, { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' });
      expect(answer.status).toBe(400);
      expect(((await answer.json()) as { error: { message: string } }).error.message).toContain('这个退订链接无效');
    }
    const page = await fetch(`${server.baseURL}/zh/unsubscribe/?c=${parent}&s=${signature.slice(0, 30)}`);
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('这个退订链接无效');
    for (const method of ['PUT', 'DELETE', 'PATCH']) expect((await fetch(oneClick, { method })).status).toBe(405);
    const tooBig = await fetch(oneClick, { method: 'POST', headers: form, body: `List-Unsubscribe=${'x'.repeat(4096)}` });
    expect(tooBig.status).toBe(413);

    // A GET (a scanner, or a person) changes nothing: it shows the page and its button.
    const shown = await fetch(oneClick, { redirect: 'manual' });
    expect(shown.status).toBe(303);
    expect(shown.headers.get('location')).toBe(`/zh/unsubscribe/?c=${parent}&s=${signature}&lang=zh`);
    expect(await (await fetch(`${server.baseURL}${shown.headers.get('location')}`)).text()).toContain('不再接收评论回复的邮件通知？');

    const clicked = await fetch(oneClick, { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' });
    expect(clicked.status).toBe(200);
    expect(await clicked.json()).toEqual({ unsubscribed: true, message: '已退订：本站不会再给你发送回复通知邮件。你的评论保持不变。' });
    // Replayed: the same answer, nothing else changes.
    expect((await fetch(oneClick, { method: 'POST', headers: form, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    expect(await (await fetch(`${server.baseURL}/zh/unsubscribe/?c=${parent}&s=${signature}`)).text()).toContain('已退订');

    const second = await postComment(server, { parent, name: '回复者', body: '第二条回复' });
    await act(server, session, { action: 'approve', id: [String(second.json.id)] });
    await settle();
    expect(inbox.messages).toHaveLength(1);
  });

  it('answers bad bodies at the one-click address and the comment API with a clear 4xx, and 50 clicks at once like one', async () => {
    const parent = await subscribedComment({ name: '五十次点击' });
    const first = await postComment(server, { parent, name: '回复者', body: '引出一封邮件' });
    await act(server, session, { action: 'approve', id: [String(first.json.id)] });
    const [mail] = await inbox.waitFor(1);
    const oneClick = oneClickUrl(server, headerText(mail!, 'list-unsubscribe'));
    const post = (body: BodyInit, type: string, init: RequestInit = {}) =>
      fetch(oneClick, { method: 'POST', headers: { 'content-type': type }, body, ...init });

    const chunked = new ReadableStream({
      start(controller) {
        for (let index = 0; index < 8; index += 1) controller.enqueue(new TextEncoder().encode('x'.repeat(512)));
        controller.close();
      },
    });
    const answers = {
      chunked: await post(chunked, 'application/x-www-form-urlencoded', { duplex: 'half' } as RequestInit),
      invalidUtf8: await post(new Uint8Array([0x4c, 0x3d, 0xff, 0xfe]), 'application/x-www-form-urlencoded'),
      nested: await post(`${'['.repeat(50)}${']'.repeat(50)}`, 'application/json'),
      otherType: await post('List-Unsubscribe=One-Click', 'text/plain'),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.status]))).toEqual({
      chunked: 413,
      invalidUtf8: 400,
      nested: 400,
      otherType: 415,
    });
    // As every API refusal: JSON with a code.
    expect(((await answers.invalidUtf8.json()) as { error: { code: string; message: string } }).error.code).toBe('invalid_encoding');
    expect((await postComment(server, { email: 'a@example.com', notifyReplies: 'yes' })).status).toBe(400);

    const clicks = await Promise.all(
      Array.from({ length: 50 }, () => post('List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded')),
    );
    expect(clicks.map((answer) => answer.status)).toEqual(Array.from({ length: 50 }, () => 200));
    const read = openReadOnlyDriver(database);
    try {
      expect(await read.get('SELECT unsubscribed_at IS NOT NULL AS done FROM reply_subscriptions WHERE comment_id = ?1', [parent])).toEqual(
        {
          done: 1,
        },
      );
    } finally {
      await read.close();
    }
    expect((await fetch(`${server.baseURL}/zh/`)).status).toBe(200);
  });

  it('loses nothing to an SMTP outage: refused with 451, retried with backoff, delivered once', async () => {
    inbox.isRefusing = true;
    const parent = await subscribedComment({ lang: 'en', name: 'Patient reader' });
    const reply = await postComment(server, { parent, lang: 'en', name: 'Replier', body: 'Through the outage.' });
    await act(server, session, { action: 'approve', id: [String(reply.json.id)] });
    const deadline = Date.now() + 10_000;
    while (inbox.refused < 2 && Date.now() < deadline) await settle(50);
    expect(inbox.refused).toBeGreaterThanOrEqual(2);
    inbox.isRefusing = false;
    const [mail] = await inbox.waitFor(1);
    expect(mail!.subject).toBe(`Replier replied to your comment on “${nestedTitle}”`);
    await settle();
    expect(inbox.messages).toHaveLength(1);
  });

  it('sends an email queued before the server was killed once after the restart, and not again after the next', async () => {
    const parent = await subscribedComment({ name: '重启前的读者' });
    await inbox.close();
    const reply = await postComment(server, { parent, name: '回复者', body: '服务器被杀掉之前排队的回复' });
    await act(server, session, { action: 'approve', id: [String(reply.json.id)] });
    const read = openReadOnlyDriver(database);
    try {
      // Queued, tried against a closed port, not delivered; then the process dies at once.
      const deadline = Date.now() + 10_000;
      let row: { attempts: number; delivered_at: number | null } | undefined;
      while (Date.now() < deadline) {
        row = await read.get("SELECT attempts, delivered_at FROM email_outbox WHERE comment_id = ?1 AND kind = 'reply'", [
          String(reply.json.id),
        ]);
        if ((row?.attempts ?? 0) > 0) break;
        await settle(50);
      }
      expect(row).toMatchObject({ delivered_at: null });
      await server.stop('SIGKILL');
      await inbox.listen();
      server = await start();
      const [mail] = await inbox.waitFor(1);
      expect(mail!.subject).toBe(`回复者 回复了你在《${essay.titles.zh}》下的评论`);
      // The SMTP server has the message a moment before the outbox records it as sent: kill only
      // once it has (a kill between the two would send it again, as at-least-once delivery must).
      const sent = () =>
        read.get<{ sent: number }>('SELECT count(*) AS sent FROM email_outbox WHERE comment_id = ?1 AND delivered_at IS NOT NULL', [
          String(reply.json.id),
        ]);
      const recordedBy = Date.now() + 10_000;
      while ((await sent())?.sent !== 1 && Date.now() < recordedBy) await settle(50);
      expect(await sent()).toEqual({ sent: 1 });
      await server.stop('SIGKILL');
      server = await start();
      session = await signIn(server);
      await settle();
      expect(inbox.messages).toHaveLength(1);
      expect(await sent()).toEqual({ sent: 1 });
    } finally {
      await read.close();
    }
  });
});

describe('moderators told by email (MODERATION_EMAIL)', () => {
  it('emails each new pending comment to every moderator address, after the answer', async () => {
    const inbox = await startSmtpInbox();
    const folder = mkdtempSync(join(tmpdir(), 'duizhao-email-'));
    const server = await startServer({
      COMMENTS_DB: join(folder, 'comments.db'),
      COMMENTS_MIN_FILL_SECONDS: '0',
      COMMENTS_RATE_LIMIT: '0',
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      MAIL_FROM: 'comments@duizhao.example',
      SITE_URL: siteUrl,
      MODERATION_EMAIL: 'editor@duizhao.example, second@duizhao.example',
    });
    try {
      const posted = await postComment(server, { lang: 'en', name: 'New reader', body: 'Waiting for review.' });
      expect(posted.status).toBe(201);
      const [mail] = await inbox.waitFor(1);
      expect(mail!.subject).toBe(`New comment to review from New reader on “${nestedTitle}”`);
      expect(mail!.to && 'text' in mail!.to ? mail!.to.text : '').toBe('editor@duizhao.example, second@duizhao.example');
      expect(mail!.text).toContain(`${siteUrl}/en/moderate/queue/`);
      expect(headerText(mail!, 'list-unsubscribe')).toBe('');
    } finally {
      await server.stop();
      await inbox.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

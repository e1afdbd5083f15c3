import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Comment } from '../../src/lib/comments/schema.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { createModerationStore } from '../../src/lib/moderation/store.ts';
import { createWebhookNotifier } from '../../src/lib/moderation/webhook.ts';
import { readWebhookConfig } from '../../src/lib/server-config.ts';

const comment: Comment = {
  id: 'c1',
  essay: 'essay-a',
  lang: 'zh',
  format: 'plain',
  parentId: null,
  name: 'Reader',
  email: 'secret@example.com',
  body: 'Hello',
  isPrivate: false,
  isAuthor: false,
  status: 'pending',
  createdAt: new Date(Date.UTC(2026, 0, 1)),
  moderatedAt: null,
};

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A webhook receiver on 127.0.0.1 that answers with the given statuses in turn. */
async function startReceiver(statuses: number[]) {
  const received: unknown[] = [];
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      received.push(JSON.parse(body));
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function openStore() {
  const driver = createSqliteDriver(':memory:');
  await migrate(driver, commentMigrations);
  closers.push(() => driver.close());
  return createModerationStore(driver);
}

describe('moderation webhook', () => {
  it('sends JSON without the e-mail, and retries a failed delivery later with backoff', async () => {
    const receiver = await startReceiver([500, 200]);
    const store = await openStore();
    let clock = Date.UTC(2026, 0, 1);
    const notifier = createWebhookNotifier({ url: receiver.url, store, retryBaseMs: 1000, now: () => new Date(clock) });
    await notifier.notifyPending(comment);
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]).toMatchObject({
      version: 1,
      event: 'comment.pending',
      comment: { id: 'c1', essay: 'essay-a', body: 'Hello' },
    });
    expect(JSON.stringify(receiver.received[0])).not.toContain('secret@example.com');
    expect((await store.listOutbox())[0]).toMatchObject({ attempts: 1, deliveredAt: null, lastError: 'HTTP 500' });

    expect(await notifier.deliverDue()).toBe(0);
    clock += 1000;
    expect(await notifier.deliverDue()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    expect((await store.listOutbox())[0]).toMatchObject({ attempts: 2, lastError: null });
    expect(await notifier.deliverDue()).toBe(0);
  });

  it('does not follow a redirect: it is a failed delivery, retried later', async () => {
    const receiver = await startReceiver([302]);
    const store = await openStore();
    const notifier = createWebhookNotifier({ url: receiver.url, store, retryBaseMs: 1000, now: () => new Date(0) });
    await notifier.notifyPending(comment);
    expect(receiver.received).toHaveLength(1);
    expect((await store.listOutbox())[0]).toMatchObject({ attempts: 1, deliveredAt: null, lastError: 'HTTP 302' });
  });

  it('gives up after the last attempt and never throws at the caller', async () => {
    const store = await openStore();
    let clock = 0;
    const notifier = createWebhookNotifier({
      url: 'http://127.0.0.1:9/unreachable',
      store,
      retryBaseMs: 10,
      maxAttempts: 2,
      now: () => new Date(clock),
    });
    await expect(notifier.notifyPending(comment)).resolves.toBeUndefined();
    clock += 10;
    await notifier.deliverDue();
    clock += 1_000_000;
    await notifier.deliverDue();
    const [message] = await store.listOutbox();
    expect(message).toMatchObject({ attempts: 2, deliveredAt: null });
    expect(message?.lastError).toBeTruthy();
  });

  it('reads its settings and refuses a bad URL', () => {
    expect(readWebhookConfig({})).toBeUndefined();
    expect(readWebhookConfig({ MODERATION_WEBHOOK_URL: 'https://hooks.example/x' })).toEqual({
      url: 'https://hooks.example/x',
      retryBaseMs: 30_000,
    });
    expect(() => readWebhookConfig({ MODERATION_WEBHOOK_URL: 'ftp://x' })).toThrow(/http/);
  });
});

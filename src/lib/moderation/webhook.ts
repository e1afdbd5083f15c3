import type { Comment } from '../comments/schema.ts';
import { createOutboxDelivery, type OutboxDelivery } from '../outbox/outbox-delivery.ts';
import type { ModerationStore } from './store.ts';

/** Tries per message before it is given up. */
export const defaultWebhookAttempts = 8;

export interface WebhookOptions {
  /** MODERATION_WEBHOOK_URL. */
  url: string;
  store: ModerationStore;
  /** First retry after this long; each further one waits twice as long (MODERATION_WEBHOOK_RETRY_SECONDS, default 30). */
  retryBaseMs?: number;
  /** Tries per message before it is given up (kept in the outbox with its last error). */
  maxAttempts?: number;
  timeoutMs?: number;
  now?: () => Date;
  fetch?: typeof fetch;
}

export interface WebhookNotifier extends OutboxDelivery {
  /** Writes the message to the outbox, then tries to send what is due. Never throws. */
  notifyPending(comment: Comment): Promise<void>;
}

/** What the webhook receives when a comment starts waiting (version 1). No e-mail address, no sender hash. */
function createPendingPayload(comment: Comment, consolePath: string): string {
  return JSON.stringify({
    version: 1,
    event: 'comment.pending',
    comment: {
      id: comment.id,
      essay: comment.essay,
      lang: comment.lang,
      name: comment.name,
      body: comment.body,
      isPrivate: comment.isPrivate,
      parentId: comment.parentId,
      createdAt: comment.createdAt.toISOString(),
    },
    consolePath,
  });
}

export function createWebhookNotifier(options: WebhookOptions): WebhookNotifier {
  const { url, store } = options;
  const retryBaseMs = options.retryBaseMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const send = options.fetch ?? fetch;
  const delivery = createOutboxDelivery({
    store: store.outbox,
    retryBaseMs,
    maxAttempts: options.maxAttempts ?? defaultWebhookAttempts,
    timeoutMs,
    label: 'moderation webhook',
    now,
    async deliver(message) {
      const response = await send(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'User-Agent': 'duizhao-moderation' },
        body: message.row.payload,
        signal: AbortSignal.timeout(timeoutMs),
        // A redirect is a failed delivery (not followed, and not ok); Workers refuse redirect: 'error'.
        redirect: 'manual',
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return 'sent';
    },
  });

  return {
    ...delivery,
    async notifyPending(comment) {
      try {
        await store.enqueueMessage(createPendingPayload(comment, '/moderate/'), now());
        await delivery.deliverDue();
      } catch (error) {
        console.error('moderation webhook: could not queue or send a notification', error);
      }
    },
  };
}

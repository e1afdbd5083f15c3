import type { Comment } from '../comments/schema.ts';
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

export interface WebhookNotifier {
  /** Writes the message to the outbox, then tries to send what is due. Never throws. */
  notifyPending(comment: Comment): Promise<void>;
  /** Sends every due message once; returns how many were delivered. */
  deliverDue(): Promise<number>;
  /** Tries again every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs?: number): void;
  stop(): void;
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
  const maxAttempts = options.maxAttempts ?? defaultWebhookAttempts;
  const timeoutMs = options.timeoutMs ?? 5000;
  const now = options.now ?? (() => new Date());
  const send = options.fetch ?? fetch;
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | undefined;

  async function deliverOnce(): Promise<number> {
    const at = now();
    const messages = await store.claimDueMessages(at, new Date(at.getTime() + timeoutMs * 2), maxAttempts);
    let delivered = 0;
    for (const message of messages) {
      try {
        const response = await send(url, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'User-Agent': 'duizhao-moderation' },
          body: message.payload,
          signal: AbortSignal.timeout(timeoutMs),
          // A redirect is a failed delivery (not followed, and not ok); Workers refuse redirect: 'error'.
          redirect: 'manual',
        });
        await response.body?.cancel();
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        await store.markDelivered(message.id, now());
        delivered += 1;
      } catch (error) {
        const wait = retryBaseMs * 2 ** message.attempts;
        await store.markFailed(message.id, error instanceof Error ? error.message : String(error), new Date(now().getTime() + wait));
      }
    }
    return delivered;
  }

  const notifier: WebhookNotifier = {
    async notifyPending(comment) {
      try {
        await store.enqueueMessage(createPendingPayload(comment, '/moderate/'), now());
        await notifier.deliverDue();
      } catch (error) {
        console.error('moderation webhook: could not queue or send a notification', error);
      }
    },

    deliverDue() {
      // One round at a time per process; a caller arriving meanwhile shares it.
      running ??= deliverOnce().finally(() => (running = undefined));
      return running;
    },

    start(intervalMs = Math.min(retryBaseMs, 30_000)) {
      if (timer) return;
      timer = setInterval(
        () => void notifier.deliverDue().catch((error: unknown) => console.error('moderation webhook:', error)),
        intervalMs,
      );
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return notifier;
}

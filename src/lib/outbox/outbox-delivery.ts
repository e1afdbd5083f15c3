import type { ClaimedMessage, OutboxStore } from './outbox-store.ts';

/** What one message's delivery came to: sent, or no longer to be sent (taken out, never retried). */
export type DeliveryOutcome = 'sent' | 'discarded';

export interface OutboxDeliveryOptions<Row> {
  store: OutboxStore<Row>;
  /** Sends one message; throws to have it retried later. */
  deliver(message: ClaimedMessage<Row>): Promise<DeliveryOutcome>;
  /** First retry after this long; each further one waits twice as long. */
  retryBaseMs: number;
  /** Tries per message before it is given up (kept in the outbox with its last error). */
  maxAttempts: number;
  /** How long one try may take; a claim is leased for twice this, so a crashed sender's message is tried again. */
  timeoutMs: number;
  /** Names the outbox in the log. */
  label: string;
  now?: () => Date;
}

export interface OutboxDelivery {
  /** Sends every due message once; returns how many were delivered. Rounds never overlap within a process. */
  deliverDue(): Promise<number>;
  /** Tries again every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs?: number): void;
  stop(): void;
}

/**
 * The retry loop both outboxes share (the moderators' webhook, the emails): claim what is due,
 * try each, and on failure wait `retryBaseMs · 2^attempts` before the next try.
 */
export function createOutboxDelivery<Row>(options: OutboxDeliveryOptions<Row>): OutboxDelivery {
  const { store, deliver, retryBaseMs, maxAttempts, timeoutMs, label } = options;
  const now = options.now ?? (() => new Date());
  let timer: ReturnType<typeof setInterval> | undefined;
  let running: Promise<number> | undefined;

  async function deliverOnce(): Promise<number> {
    const at = now();
    const messages = await store.claimDue(at, new Date(at.getTime() + timeoutMs * 2), maxAttempts);
    let delivered = 0;
    for (const message of messages) {
      try {
        const outcome = await deliver(message);
        if (outcome === 'discarded') {
          await store.discard(message.id);
          continue;
        }
        await store.markDelivered(message.id, now());
        delivered += 1;
      } catch (error) {
        const wait = retryBaseMs * 2 ** message.attempts;
        await store.markFailed(message.id, error instanceof Error ? error.message : String(error), new Date(now().getTime() + wait));
      }
    }
    return delivered;
  }

  const delivery: OutboxDelivery = {
    deliverDue() {
      // One round at a time per process; a caller arriving meanwhile shares it.
      running ??= deliverOnce().finally(() => (running = undefined));
      return running;
    },

    start(intervalMs = Math.min(retryBaseMs, 30_000)) {
      if (timer) return;
      timer = setInterval(() => void delivery.deliverDue().catch((error: unknown) => console.error(`${label}:`, error)), intervalMs);
      timer.unref();
    },

    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
  return delivery;
}

import { getTranslator } from '../../i18n/translator.ts';
import type { Locale } from '../../i18n/locales.ts';
import type { CommentStore } from '../comments/store.ts';
import { getCatalogVersion, type CatalogEssay } from '../essay-catalog.ts';
import { createOutboxDelivery, type DeliveryOutcome, type OutboxDelivery } from '../outbox/outbox-delivery.ts';
import type { ClaimedMessage } from '../outbox/outbox-store.ts';
import type { EmailConfig } from '../server-config.ts';
import { moderationPaths } from '../moderation/http.ts';
import { pagePaths } from '../urls.ts';
import { createPendingEmail, createReplyEmail, type EmailMessage } from './messages.ts';
import type { EmailOutboxRow, EmailStore } from './store.ts';
import { createUnsubscribeUrls } from './unsubscribe-link.ts';

/** Tries per email before it is given up (kept in the outbox with its last error). */
export const defaultEmailAttempts = 8;

/** Sends one message; on Node, nodemailer over SMTP_URL (see platform/node.ts). Throws when the server refuses it. */
export type SendMail = (message: EmailMessage & { from: string }) => Promise<void>;

export interface EmailNotifierOptions {
  config: EmailConfig;
  store: EmailStore;
  comments: CommentStore;
  secret: string;
  findEssay(slug: string): Promise<CatalogEssay | undefined>;
  sendMail: SendMail;
  maxAttempts?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export interface EmailNotifier extends OutboxDelivery {
  /** Queues the moderators' email about a new pending comment (when MODERATION_EMAIL is set) and sends what is due. Never throws. */
  notifyPending(commentId: string): Promise<void>;
}

/** A comment's page link, in the language the page is published in. */
function localizedUrl(siteUrl: URL, locale: Locale, path: string): URL {
  return new URL(`/${locale}/${path}`, siteUrl);
}

/**
 * Sends the email outbox. Each email is written when it is sent, from the comments as they are
 * then: a reply no longer public, or an address that unsubscribed meanwhile, sends nothing.
 */
export function createEmailNotifier(options: EmailNotifierOptions): EmailNotifier {
  const { config, store, comments, secret, findEssay, sendMail } = options;
  const now = options.now ?? (() => new Date());

  async function composeReply(replyId: string): Promise<EmailMessage | undefined> {
    const reply = await comments.getComment(replyId);
    const parent = reply?.parentId ? await comments.getComment(reply.parentId) : undefined;
    if (!reply || !parent || reply.status !== 'approved' || parent.email === null) return undefined;
    const subscription = await store.getSubscription(parent.id);
    if (!subscription || subscription.unsubscribedAt !== null) return undefined;
    // Public replies are linked; the author's answer to a private comment is the one reply sent whole.
    const isPrivateAnswer = parent.isPrivate && reply.isAuthor;
    if (!isPrivateAnswer && !(await comments.isPublicComment(reply.id))) return undefined;
    const essay = await findEssay(parent.essay);
    if (!essay) return undefined;
    const version = getCatalogVersion(essay, parent.lang);
    return createReplyEmail({
      reply,
      parent: { ...parent, email: parent.email },
      essayTitle: version.title,
      replyUrl: isPrivateAnswer
        ? undefined
        : new URL(`#comment-${reply.id}`, localizedUrl(config.siteUrl, version.locale, pagePaths.essayComments(essay.slug))),
      unsubscribe: createUnsubscribeUrls(config.siteUrl, parent.lang, parent.id, secret),
      t: getTranslator(parent.lang),
    });
  }

  async function composePending(commentId: string): Promise<EmailMessage | undefined> {
    const comment = await comments.getComment(commentId);
    // Moderated before the email went: the moderators have seen it.
    if (!comment || comment.status !== 'pending' || config.moderatorAddresses.length === 0) return undefined;
    const essay = await findEssay(comment.essay);
    return createPendingEmail({
      comment,
      essayTitle: essay ? getCatalogVersion(essay, comment.lang).title : comment.essay,
      queueUrl: new URL(moderationPaths.queue(comment.lang), config.siteUrl),
      to: config.moderatorAddresses,
      t: getTranslator(comment.lang),
    });
  }

  async function deliver({ row }: ClaimedMessage<EmailOutboxRow>): Promise<DeliveryOutcome> {
    const message = row.kind === 'reply' ? await composeReply(row.comment_id) : await composePending(row.comment_id);
    if (!message) return 'discarded';
    await sendMail({ ...message, from: config.from });
    return 'sent';
  }

  const delivery = createOutboxDelivery({
    store: store.outbox,
    deliver,
    retryBaseMs: config.retryBaseMs,
    maxAttempts: options.maxAttempts ?? defaultEmailAttempts,
    timeoutMs: options.timeoutMs ?? 30_000,
    label: 'email',
    now,
  });

  return {
    ...delivery,
    async notifyPending(commentId) {
      try {
        if (config.moderatorAddresses.length > 0) await store.queuePendingNotice(commentId, now());
        await delivery.deliverDue();
      } catch (error) {
        console.error('email: could not queue or send', error);
      }
    },
  };
}

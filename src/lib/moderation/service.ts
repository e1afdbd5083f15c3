import type { Locale } from '../../i18n/locales.ts';
import { createCommentId } from '../comments/service.ts';
import { commentLimits, commentStatuses, normalizeText, type Comment, type CommentStatus } from '../comments/schema.ts';
import type { CommentStore } from '../comments/store.ts';
import { queueActions, type ModerationStore, type QueueAction } from './store.ts';

export type { QueueAction };

export function isQueueAction(value: unknown): value is QueueAction {
  return typeof value === 'string' && (queueActions as readonly string[]).includes(value);
}

export function isCommentStatus(value: unknown): value is CommentStatus {
  return typeof value === 'string' && (commentStatuses as readonly string[]).includes(value);
}

type ReplyResult = { ok: true; comment: Comment } | { ok: false; code: 'parentNotFound' | 'emptyReply' | 'replyTooLong' };

export interface ModerationService {
  /**
   * Applies one action to every comment named (delete takes the replies under them along) and logs
   * each, all in one transaction: all of it or none. Returns the ids that existed.
   */
  moderate(moderator: string, action: QueueAction, ids: readonly string[]): Promise<string[]>;
  /**
   * The author's reply, flagged as the author's and stored with its audit row in one transaction.
   * It is approved at once, but readers see it only while its parent is public (private when its
   * parent is): a reply to a pending comment waits for that comment to be approved.
   */
  reply(moderator: string, parentId: string, body: string): Promise<ReplyResult>;
}

export interface ModerationServiceOptions {
  comments: CommentStore;
  moderation: ModerationStore;
  /** The name the author's reply under a comment on `essay` in `lang` carries (see reply-signature.ts). */
  signReply: (essay: string, lang: Locale) => string;
  now?: () => Date;
}

export function createModerationService(options: ModerationServiceOptions): ModerationService {
  const { comments, moderation } = options;
  const now = options.now ?? (() => new Date());
  return {
    moderate(moderator, action, ids) {
      return moderation.moderateComments(moderator, action, ids, now());
    },

    async reply(moderator, parentId, rawBody) {
      const body = normalizeText(rawBody);
      if (body === '') return { ok: false, code: 'emptyReply' };
      if ([...body].length > commentLimits.bodyLength) return { ok: false, code: 'replyTooLong' };
      const parent = await comments.getComment(parentId);
      if (!parent) return { ok: false, code: 'parentNotFound' };
      // Replying does not approve the parent (the other choice): approving stays one explicit,
      // audited decision, and an answer to a comment the moderator is still weighing (or calls spam)
      // publishes nothing. Readers see the reply once, and as long as, its thread is public.
      const reply = {
        id: createCommentId(),
        essay: parent.essay,
        lang: parent.lang,
        parentId: parent.id,
        name: options.signReply(parent.essay, parent.lang),
        email: null,
        body,
        format: 'markdown' as const,
        isPrivate: parent.isPrivate,
        isAuthor: true,
        status: 'approved' as const,
        ipHash: null,
        createdAt: now(),
      };
      try {
        await moderation.addAuthorReply(moderator, reply);
      } catch (error) {
        // Deleted meanwhile: the reply's foreign key refused it, and nothing was written.
        if (!(await comments.getComment(parentId))) return { ok: false, code: 'parentNotFound' };
        throw error;
      }
      return { ok: true, comment: { ...reply, moderatedAt: null } };
    },
  };
}

import { createCommentId } from '../comments/service.ts';
import { commentLimits, commentStatuses, normalizeText, type Comment, type CommentStatus } from '../comments/schema.ts';
import type { CommentStore } from '../comments/store.ts';
import type { ModerationStore } from './store.ts';

export const queueActions = ['approve', 'reject', 'spam', 'delete'] as const;
export type QueueAction = (typeof queueActions)[number];

const statusOfAction: Record<Exclude<QueueAction, 'delete'>, CommentStatus> = { approve: 'approved', reject: 'rejected', spam: 'spam' };

export function isQueueAction(value: unknown): value is QueueAction {
  return typeof value === 'string' && (queueActions as readonly string[]).includes(value);
}

export function isCommentStatus(value: unknown): value is CommentStatus {
  return typeof value === 'string' && (commentStatuses as readonly string[]).includes(value);
}

export type ReplyResult = { ok: true; comment: Comment } | { ok: false; code: 'parentNotFound' | 'emptyReply' | 'replyTooLong' };

export interface ModerationService {
  /** Applies one action to each comment and logs it; returns the ids that existed. */
  moderate(moderator: string, action: QueueAction, ids: readonly string[]): Promise<string[]>;
  /** The author's reply: published at once (private when its parent is), flagged as the author's. */
  reply(moderator: string, parentId: string, body: string): Promise<ReplyResult>;
}

export interface ModerationServiceOptions {
  comments: CommentStore;
  moderation: ModerationStore;
  /** The name the author's replies carry; the moderator's own name when unset. */
  authorName?: string;
  now?: () => Date;
}

export function createModerationService(options: ModerationServiceOptions): ModerationService {
  const { comments, moderation } = options;
  const now = options.now ?? (() => new Date());
  return {
    async moderate(moderator, action, ids) {
      const done: string[] = [];
      for (const id of new Set(ids)) {
        const at = now();
        const isDone = action === 'delete' ? await comments.deleteComment(id) : await comments.setCommentStatus(id, statusOfAction[action], at);
        if (!isDone) continue;
        done.push(id);
        await moderation.addAuditEntry({ at, moderator, action, commentId: id, detail: null });
      }
      return done;
    },

    async reply(moderator, parentId, rawBody) {
      const body = normalizeText(rawBody);
      if (body === '') return { ok: false, code: 'emptyReply' };
      if ([...body].length > commentLimits.bodyLength) return { ok: false, code: 'replyTooLong' };
      const parent = await comments.getComment(parentId);
      if (!parent) return { ok: false, code: 'parentNotFound' };
      const at = now();
      const result = await comments.insertComment({
        id: createCommentId(),
        essay: parent.essay,
        lang: parent.lang,
        parentId: parent.id,
        name: options.authorName ?? moderator,
        email: null,
        body,
        isPrivate: parent.isPrivate,
        isAuthor: true,
        status: 'approved',
        ipHash: null,
        createdAt: at,
      });
      if (!result.isStored) throw new Error('an unlimited insert was refused');
      await moderation.addAuditEntry({ at, moderator, action: 'reply', commentId: result.comment.id, detail: parent.id });
      return { ok: true, comment: result.comment };
    },
  };
}

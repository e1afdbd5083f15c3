import { randomBytes } from 'node:crypto';
import { hashSender } from '../http/client-address.ts';
import { getRetryAfterMs, getSenderLimit, type RateLimit } from '../http/rate-limit.ts';
import type { SqlStatement } from '../db/sql-driver.ts';
import type { BodyErrorCode } from '../http/request-body.ts';
import { checkFormToken, issueFormToken } from './fill-time.ts';
import type { ReservedNameCheck } from './names.ts';
import {
  commentFields,
  commentInputSchema,
  describeIssues,
  type Comment,
  type CommentFieldError,
  type CommentThread,
  type PublicComment,
} from './schema.ts';
import type { CommentStore } from './store.ts';

/**
 * Why a comment was refused; `comments.error.<code>` says it to the reader (a refused body falls
 * back to `request.error.<code>`). `busy` and `internal` are failures on the server's side.
 */
export type CommentErrorCode =
  | BodyErrorCode
  | 'invalidInput'
  | 'essayNotFound'
  | 'invalidParent'
  | 'spamSuspected'
  | 'tooFast'
  | 'invalidFormToken'
  | 'rateLimited'
  | 'siteLimited'
  | 'busy'
  | 'internal';

export interface CommentError {
  status: 400 | 404 | 413 | 415 | 429 | 500 | 503;
  code: CommentErrorCode;
  fields: CommentFieldError[];
  /** For 429, 503 and too-fast answers: when trying again makes sense. */
  retryAfterSeconds?: number;
}

export interface CommentListing {
  threads: CommentThread[];
  count: number;
}

export type SubmitResult = { ok: true; comment: Comment } | { ok: false; error: CommentError };

export interface CommentServiceOptions {
  store: CommentStore;
  secret: string;
  rateLimit: RateLimit | null;
  minFillMs: number;
  isKnownEssay: (slug: string) => boolean | Promise<boolean>;
  /** Whether a commenter may ask for reply emails (the server sends email); when not, the request is ignored. */
  canNotifyReplies?: boolean;
  /** Readers' new comments across the site (spam aside); none when left out. Moderators are exempt. */
  siteLimit?: RateLimit | null;
  /** The moderators' spam list: a comment that matches is stored as spam, with its audit row. */
  spamFilter?: SpamFilter;
  /** Names readers may not post under (the site author's, the moderators'); none when left out. */
  isReservedName?: ReservedNameCheck;
  now?: () => Date;
  createId?: () => string;
}

/** The spam list as the comment service uses it (lib/moderation keeps it). */
interface SpamFilter {
  /** Why the comment is spam (a rule, as the audit log says it), or undefined. */
  check(comment: { name: string; body: string }): Promise<string | undefined>;
  /** The audit row of an automatic decision, written with the comment. */
  audit(commentId: string, detail: string, at: Date): SqlStatement;
}

export interface CommentService {
  /**
   * Validates and stores a reader's comment as pending (as spam when it matches the spam list);
   * `raw` is the parsed JSON or form. A signed-in moderator is not held to the site-wide limit.
   */
  submitComment(raw: unknown, sender: { address: string; isModerator?: boolean }): Promise<SubmitResult>;
  /**
   * The public threads of an essay, or undefined for an unknown essay. While nothing was written
   * the same listing object comes back (when the store can tell), so callers may cache by it.
   */
  listThreads(essay: string): Promise<CommentListing | undefined>;
  issueFormToken(): string;
  store: CommentStore;
}

/** 16 random characters, URL- and anchor-safe. */
export function createCommentId(): string {
  return randomBytes(12).toString('base64url');
}

export function createCommentError(status: CommentError['status'], code: CommentErrorCode, fields: CommentFieldError[] = []): CommentError {
  return { status, code, fields };
}

/**
 * Nests replies under their parents. A reply whose parent is not in the list is left out: it answers
 * something readers cannot see (the store does not list such replies in the first place).
 */
export function buildThreads(comments: readonly PublicComment[]): CommentThread[] {
  const byId = new Map<string, CommentThread>(comments.map((comment) => [comment.id, { ...comment, replies: [] }]));
  const roots: CommentThread[] = [];
  for (const thread of byId.values()) {
    if (thread.parentId === null) {
      roots.push(thread);
      continue;
    }
    const parent = byId.get(thread.parentId);
    if (parent && parent !== thread) parent.replies.push(thread);
  }
  return roots;
}

function readField(raw: unknown, field: string): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>)[field] : undefined;
}

/** Field errors in the form's order. */
function sortFieldErrors(errors: CommentFieldError[]): CommentFieldError[] {
  return errors.sort((a, b) => commentFields.indexOf(a.field) - commentFields.indexOf(b.field));
}

export function createCommentService(options: CommentServiceOptions): CommentService {
  const { store, secret } = options;
  const now = options.now ?? (() => new Date());
  const createId = options.createId ?? createCommentId;
  const listings = new Map<string, { marker: string; listing: CommentListing }>();

  return {
    store,

    issueFormToken: () => issueFormToken(secret, now()),

    async submitComment(raw, sender) {
      const parsed = commentInputSchema.safeParse(raw);
      // A reserved name is reported with the other fields' errors, so the reader fixes everything at once.
      const name = parsed.success ? parsed.data.name : commentInputSchema.shape.name.safeParse(readField(raw, 'name')).data;
      const isReserved = name !== undefined && options.isReservedName !== undefined && (await options.isReservedName(name));
      const reservedError: CommentFieldError[] = isReserved ? [{ field: 'name', code: 'reserved' }] : [];
      if (!parsed.success) {
        const fields = [...reservedError, ...describeIssues(parsed.error.issues, raw)];
        return { ok: false, error: createCommentError(400, 'invalidInput', sortFieldErrors(fields)) };
      }
      if (isReserved) return { ok: false, error: createCommentError(400, 'invalidInput', reservedError) };
      const input = parsed.data;
      const notifyReplies = input.notifyReplies && options.canNotifyReplies === true;
      if (notifyReplies && !input.email)
        return { ok: false, error: createCommentError(400, 'invalidInput', [{ field: 'email', code: 'emailNeeded' }]) };
      if (input.website && input.website.trim() !== '') return { ok: false, error: createCommentError(400, 'spamSuspected') };
      if (!(await options.isKnownEssay(input.essay)))
        return { ok: false, error: createCommentError(404, 'essayNotFound', [{ field: 'essay', code: 'invalid' }]) };

      const at = now();
      const token = checkFormToken(input.formToken, secret, { now: at, minFillMs: options.minFillMs });
      if (token.kind === 'invalid') return { ok: false, error: createCommentError(400, 'invalidFormToken') };
      if (token.kind === 'tooFast') {
        return { ok: false, error: { ...createCommentError(400, 'tooFast'), retryAfterSeconds: Math.ceil(token.waitMs / 1000) } };
      }

      if (input.parent) {
        const parent = await store.getComment(input.parent);
        // Only what readers can see can be answered: a comment hidden with its thread cannot.
        const isReplyable = parent !== undefined && parent.essay === input.essay && (await store.isPublicComment(parent.id));
        if (!isReplyable) return { ok: false, error: createCommentError(400, 'invalidParent', [{ field: 'parent', code: 'invalid' }]) };
      }

      const limit = getSenderLimit(options.rateLimit, { hasFormToken: token.kind === 'valid', now: at });
      const spamReason = await options.spamFilter?.check({ name: input.name, body: input.body });
      const id = createId();
      // Spam fills no queue, so the site-wide limit leaves it alone; the sender's limit still counts it.
      const siteLimit = options.siteLimit && !sender.isModerator && spamReason === undefined ? options.siteLimit : undefined;
      const result = await store.insertComment(
        {
          id,
          essay: input.essay,
          lang: input.lang,
          parentId: input.parent ?? null,
          name: input.name,
          email: input.email ?? null,
          body: input.body,
          format: 'markdown',
          isPrivate: input.private,
          isAuthor: false,
          status: spamReason === undefined ? 'pending' : 'spam',
          ipHash: hashSender(sender.address, secret),
          createdAt: at,
        },
        limit,
        {
          notifyReplies,
          ...(siteLimit && { siteLimit: { max: siteLimit.max, since: new Date(at.getTime() - siteLimit.windowMs) } }),
          alongside: spamReason === undefined || !options.spamFilter ? [] : [options.spamFilter.audit(id, spamReason, at)],
        },
      );
      if (!result.isStored) {
        const window = result.limitedBy === 'site' ? siteLimit : limit;
        const since = result.limitedBy === 'site' && siteLimit ? new Date(at.getTime() - siteLimit.windowMs) : limit?.since;
        const waitMs = window && since ? getRetryAfterMs({ max: window.max, since }, result.recentPosts) : 0;
        return {
          ok: false,
          error: {
            ...createCommentError(429, result.limitedBy === 'site' ? 'siteLimited' : 'rateLimited'),
            retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
          },
        };
      }
      return { ok: true, comment: result.comment };
    },

    async listThreads(essay) {
      if (!(await options.isKnownEssay(essay))) return undefined;
      const marker = await store.getChangeMarker();
      const cached = listings.get(essay);
      if (marker !== undefined && cached?.marker === marker) return cached.listing;
      const comments = await store.listPublicComments(essay);
      const listing = { threads: buildThreads(comments), count: comments.length };
      if (marker !== undefined) listings.set(essay, { marker, listing });
      return listing;
    },
  };
}

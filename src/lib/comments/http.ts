import { z } from 'astro/zod';
import { readRequestBody, type BodyKind, type BodyLimits, type ReadOptions } from '../http/request-body.ts';
import { commentFields, commentLimits, publicThreadSchema, readCommentForm, type CommentThread, type PublicThreadJson } from './schema.ts';
import { createCommentError, type CommentError } from './service.ts';

/** How a comment arrived: JSON from a script, or a form posted by a browser without JavaScript. */
export type CommentRequestKind = BodyKind;

export type CommentRequestBody =
  | { ok: true; kind: CommentRequestKind; fields: Record<string, unknown> }
  | { ok: false; kind: CommentRequestKind | undefined; error: CommentError };

/** A comment request: 32 KB, and at most twice the form's fields (room for a script's extras, not for thousands). */
export const commentBodyLimits: BodyLimits = { maxBytes: commentLimits.requestBytes, maxFields: commentFields.length * 2 };

/** Reads a comment request's body (see readRequestBody): JSON, URL-encoded or multipart, UTF-8 only. */
export async function readCommentRequest(
  request: Request,
  options: ReadOptions = {},
  limits: BodyLimits = commentBodyLimits,
): Promise<CommentRequestBody> {
  const received = await readRequestBody(request, limits, options);
  if (!received.ok) return { ok: false, kind: received.kind, error: createCommentError(received.error.status, received.error.code) };
  if (received.kind === 'json') return { ok: true, kind: 'json', fields: received.json };
  const { form } = received;
  return { ok: true, kind: 'form', fields: readCommentForm((field) => form.get(field)) };
}

/** A form post from a browser wants a page back; a script that asked for JSON gets JSON. */
export function wantsHtml(request: Request, kind: CommentRequestKind | undefined): boolean {
  const accept = request.headers.get('accept') ?? '';
  if (kind === 'json' || /application\/(?:[\w.+-]+\+)?json/i.test(accept)) return false;
  return kind === 'form' || accept.includes('text/html');
}

/** What the form held when a post without JavaScript failed: the comments page shows it again with the errors. */
export interface FailedCommentSubmission {
  error: CommentError;
  values: { name?: string; email?: string; body?: string; isPrivate: boolean; notifyReplies: boolean; parent?: string };
}

export function toFailedSubmission(error: CommentError, fields: Record<string, unknown> | undefined): FailedCommentSubmission {
  const text = (field: string) => {
    const value = fields?.[field];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    error,
    values: {
      name: text('name'),
      email: text('email'),
      body: text('body'),
      isPrivate: fields?.private === true,
      notifyReplies: fields?.notifyReplies === true,
      parent: text('parent'),
    },
  };
}

/** The public JSON of one thread: no email, address, status or privacy flag exists in it to leak. */
export function toPublicThreadJson(thread: CommentThread): PublicThreadJson {
  return z.encode(publicThreadSchema, thread);
}

/** Where comments are posted and read (the site's URLs end in a slash; `/api/comments` redirects here with 308). */
export const commentsApiPath = '/api/comments/';
export const commentTokenApiPath = '/api/comments/token/';

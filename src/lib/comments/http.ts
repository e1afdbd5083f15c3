import { createHash } from 'node:crypto';
import { matchLocale, type Locale } from '../../i18n/locales.ts';
import { commentLimits, readCommentForm, type CommentThread } from './schema.ts';
import { createCommentError, type CommentError } from './service.ts';

/** How a comment arrived: JSON from a script, or a form posted by a browser without JavaScript. */
export type CommentRequestKind = 'json' | 'form';

export type CommentRequestBody =
  | { ok: true; kind: CommentRequestKind; fields: Record<string, unknown> }
  | { ok: false; kind: CommentRequestKind | undefined; error: CommentError };

function getRequestKind(contentType: string): CommentRequestKind | undefined {
  const mediaType = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data') return 'form';
  return undefined;
}

/** How much of a refused body is still read and dropped before the rest is cancelled. */
const discardLimitFactor = 32;

/**
 * The body, or undefined once it passes `maxBytes`. A refused body is still read to its end (up to
 * 32 × `maxBytes`, then cancelled): left unread, it breaks the next request on the same connection
 * under workerd's local proxy.
 */
async function readLimitedBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | undefined> {
  let isRefused = Number(request.headers.get('content-length') ?? 0) > maxBytes;
  if (!request.body) return isRefused ? undefined : new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    isRefused ||= size > maxBytes;
    if (!isRefused) chunks.push(value);
    else if (size > maxBytes * discardLimitFactor) {
      await reader.cancel();
      break;
    }
  }
  if (isRefused) return undefined;
  const body = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}

/** Reads a comment request's body: JSON, URL-encoded or multipart, at most 32 KB, UTF-8 only. */
export async function readCommentRequest(request: Request, maxBytes: number = commentLimits.requestBytes): Promise<CommentRequestBody> {
  const contentType = request.headers.get('content-type') ?? '';
  const kind = getRequestKind(contentType);
  if (!kind) return { ok: false, kind, error: createCommentError(415, 'unsupportedMediaType') };
  const bytes = await readLimitedBody(request, maxBytes);
  if (!bytes) return { ok: false, kind, error: createCommentError(413, 'payloadTooLarge') };
  const malformed = createCommentError(400, kind === 'json' ? 'invalidJson' : 'invalidInput');

  if (kind === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      return { ok: false, kind, error: malformed };
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, kind, error: malformed };
    return { ok: true, kind, fields: value as Record<string, unknown> };
  }

  try {
    if (contentType.toLowerCase().includes('multipart/form-data')) {
      const form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData();
      return { ok: true, kind, fields: readCommentForm((field) => form.get(field)) };
    }
    const form = new URLSearchParams(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return { ok: true, kind, fields: readCommentForm((field) => form.get(field)) };
  } catch {
    return { ok: false, kind, error: malformed };
  }
}

/** The language of a request that names none: its Accept-Language (API routes have no locale in their URL). */
export function getRequestLocale(request: Request): Locale {
  return matchLocale((request.headers.get('accept-language') ?? '').split(','));
}

/** A form post from a browser wants a page back; a script that asked for JSON gets JSON. */
export function wantsHtml(request: Request, kind: CommentRequestKind | undefined): boolean {
  const accept = request.headers.get('accept') ?? '';
  if (kind === 'json' || /application\/(?:[\w.+-]+\+)?json/i.test(accept)) return false;
  return kind === 'form' || accept.includes('text/html');
}

/** `rateLimited` → `rate_limited`, as API clients read codes. */
export function toApiCode(code: string): string {
  return code.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** A JSON answer; `body` may already be serialized (to hash it for an ETag first). */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  });
}

/** What the form held when a post without JavaScript failed: the comments page shows it again with the errors. */
export interface FailedCommentSubmission {
  error: CommentError;
  values: { name?: string; email?: string; body?: string; isPrivate: boolean; parent?: string };
}

export function toFailedSubmission(error: CommentError, fields: Record<string, unknown> | undefined): FailedCommentSubmission {
  const text = (field: string) => {
    const value = fields?.[field];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    error,
    values: { name: text('name'), email: text('email'), body: text('body'), isPrivate: fields?.private === true, parent: text('parent') },
  };
}

/** The public JSON of one thread: no email, address, status or privacy flag exists in it to leak. */
export interface PublicThreadJson {
  id: string;
  lang: string;
  name: string;
  body: string;
  createdAt: string;
  isAuthor: boolean;
  replies: PublicThreadJson[];
}

export function toPublicThreadJson(thread: CommentThread): PublicThreadJson {
  return {
    id: thread.id,
    lang: thread.lang,
    name: thread.name,
    body: thread.body,
    createdAt: thread.createdAt.toISOString(),
    isAuthor: thread.isAuthor,
    replies: thread.replies.map(toPublicThreadJson),
  };
}

/** A strong validator for a response body. */
export function createEtag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Whether an If-None-Match header names `etag` (weak comparison, as RFC 9110 asks for GET). */
export function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/** Where comments are posted and read (the site's URLs end in a slash; `/api/comments` redirects here with 308). */
export const commentsApiPath = '/api/comments/';
export const commentTokenApiPath = '/api/comments/token/';

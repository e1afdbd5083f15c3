import { z } from 'astro/zod';
import { localeKeys, type Locale } from '../../i18n/locales.ts';
import { countLinks } from './autolink.ts';
import { countMarkdownLinks } from './markdown.ts';
import { cleanName, hasVisibleText, removeBidirectionalControls } from './names.ts';

/** Limits a comment must keep; the form shows the same numbers. */
export const commentLimits = {
  nameLength: 60,
  emailLength: 254,
  bodyLength: 5000,
  links: 3,
  /** A request body over this many bytes is refused before it is parsed. */
  requestBytes: 32 * 1024,
} as const;

export const commentStatuses = ['pending', 'approved', 'rejected', 'spam'] as const;
export type CommentStatus = (typeof commentStatuses)[number];

/** How a body is read: comments written before Markdown stay 'plain' and show exactly as they did. */
const commentFormats = ['plain', 'markdown'] as const;
export type CommentFormat = (typeof commentFormats)[number];

/** Comment ids: random, URL- and anchor-safe. */
const commentIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Why one field was refused; the UI turns it into a sentence with `comments.fieldError.<code>`. */
export type CommentFieldErrorCode =
  | 'required'
  | 'invisibleOnly'
  | 'reserved'
  | 'tooLong'
  | 'invalid'
  | 'invalidEmail'
  | 'controlCharacters'
  | 'tooManyLinks'
  | 'linkInName'
  | 'emailNeeded';

export const commentFields = [
  'essay',
  'lang',
  'name',
  'email',
  'notifyReplies',
  'body',
  'private',
  'parent',
  'website',
  'formToken',
] as const;
export type CommentField = (typeof commentFields)[number];

// C0 and C1 controls; a comment body may keep tabs and line breaks.
const bodyControlCharacters = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
// A name is one line (bidirectional controls are removed before this check, see names.ts).
const nameControlCharacters = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/;

// Half of a surrogate pair on its own is not text; storage would turn it into U+FFFD.
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function countCharacters(text: string): number {
  return [...text].length;
}

/** NFC, one kind of line break, no surrounding white space. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n').trim();
}

const localeSchema = z.enum(localeKeys as [Locale, ...Locale[]]);
const commentIdSchema = z.string().regex(commentIdPattern);

const normalizedString = z.string().transform(normalizeText);
const emptyAsUndefined = (value: unknown) => (value === '' || value === null ? undefined : value);

/** What a reader sends, from the form or as JSON; validated and normalized. */
export const commentInputSchema = z.object({
  essay: z.string().trim().min(1).max(200),
  lang: localeSchema,
  name: normalizedString.pipe(
    z
      .string()
      .min(1)
      .transform((name) => cleanName(name).trim())
      .refine(hasVisibleText, { message: 'invisibleOnly' })
      .refine((name) => !loneSurrogate.test(name), { message: 'invalid' })
      .refine((name) => countCharacters(name) <= commentLimits.nameLength, { message: 'tooLong' })
      .refine((name) => !nameControlCharacters.test(name), { message: 'controlCharacters' })
      .refine((name) => countLinks(name) === 0 && !/:\/\//.test(name), { message: 'linkInName' }),
  ),
  email: z.preprocess(
    (value) => emptyAsUndefined(typeof value === 'string' ? normalizeText(value) : value),
    z.email({ message: 'invalidEmail' }).max(commentLimits.emailLength).optional(),
  ),
  body: normalizedString.pipe(
    z
      .string()
      .min(1)
      .transform((body) => removeBidirectionalControls(body).trim())
      .refine(hasVisibleText, { message: 'invisibleOnly' })
      .refine((body) => !loneSurrogate.test(body), { message: 'invalid' })
      .refine((body) => countCharacters(body) <= commentLimits.bodyLength, { message: 'tooLong' })
      .refine((body) => !bodyControlCharacters.test(body), { message: 'controlCharacters' })
      .refine((body) => countMarkdownLinks(body) <= commentLimits.links, { message: 'tooManyLinks' }),
  ),
  private: z.boolean().default(false),
  /** Email me when someone replies: kept only with an email address, and only where the server sends email. */
  notifyReplies: z.boolean().default(false),
  parent: z.preprocess(emptyAsUndefined, z.string().regex(commentIdPattern).optional()),
  /** The honeypot: people never see it, so it must come back empty. */
  website: z.string().max(2000).optional(),
  /** The signed time the form was opened (see fill-time.ts); absent when the page ran no JavaScript. */
  formToken: z.preprocess(emptyAsUndefined, z.string().max(200).optional()),
});

export interface CommentFieldError {
  field: CommentField;
  code: CommentFieldErrorCode;
}

const customCodes = new Set<string>([
  'invisibleOnly',
  'emailNeeded',
  'reserved',
  'tooLong',
  'invalidEmail',
  'controlCharacters',
  'tooManyLinks',
  'linkInName',
]);

function isCommentField(value: unknown): value is CommentField {
  return typeof value === 'string' && (commentFields as readonly string[]).includes(value);
}

/** One error per field, in a form a person can act on. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown): CommentFieldError[] {
  const errors = new Map<CommentField, CommentFieldErrorCode>();
  for (const issue of issues) {
    const field = issue.path[0];
    if (!isCommentField(field) || errors.has(field)) continue;
    const given = typeof input === 'object' && input !== null ? (input as Record<string, unknown>)[field] : undefined;
    let code: CommentFieldErrorCode;
    if (customCodes.has(issue.message)) code = issue.message as CommentFieldErrorCode;
    else if (issue.code === 'too_small' || (issue.code === 'invalid_type' && (given === undefined || given === null))) code = 'required';
    else if (issue.code === 'too_big') code = 'tooLong';
    else code = 'invalid';
    errors.set(field, code);
  }
  return [...errors].map(([field, code]) => ({ field, code }));
}

/**
 * Reads a posted form (URL-encoded or multipart) into the shape JSON clients send: a ticked
 * checkbox is `true`. `get` returns a field's first value; a file where text belongs stays a
 * file, so validation refuses it.
 */
export function readCommentForm(get: (field: string) => unknown): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const field of commentFields) {
    if (field === 'private' || field === 'notifyReplies') continue;
    const value = get(field);
    if (value !== null && value !== undefined) fields[field] = value;
  }
  const isTicked = (field: string) => {
    const value = get(field);
    return typeof value === 'string' && ['on', 'true', '1', 'yes'].includes(value);
  };
  fields.private = isTicked('private');
  fields.notifyReplies = isTicked('notifyReplies');
  return fields;
}

/** A time: a `Date` in the code, ISO 8601 on the wire and in export files (`z.encode` / `z.decode`). */
const timeSchema = z.codec(z.iso.datetime({ offset: true }), z.date(), {
  decode: (text) => new Date(text),
  encode: (date) => date.toISOString(),
});

/**
 * A stored comment, field by field: the one place its shape is written. The domain type, the
 * public wire type (the API, the island), the export file and the rendered comment all derive
 * from it, so a new field is added here once.
 */
const commentSchema = z.object({
  id: commentIdSchema,
  essay: z.string().min(1).max(200),
  lang: localeSchema,
  parentId: commentIdSchema.nullable(),
  name: z.string().min(1),
  email: z.string().nullable(),
  body: z.string().min(1),
  // Absent in export files and API answers of earlier versions: those comments are plain text.
  format: z.enum(commentFormats).default('plain'),
  isPrivate: z.boolean(),
  isAuthor: z.boolean(),
  status: z.enum(commentStatuses),
  createdAt: timeSchema,
  moderatedAt: timeSchema.nullable(),
});

/** A stored comment, as the moderation side sees it. */
export type Comment = z.output<typeof commentSchema>;

/** Everything stored about a comment (the sender hash too), as export files carry it. */
export const storedCommentSchema = z.strictObject({ ...commentSchema.shape, ipHash: z.string().nullable() });
export type StoredComment = z.output<typeof storedCommentSchema>;

/** What may be stored: everything but what the store decides. */
export type NewComment = Omit<StoredComment, 'createdAt' | 'moderatedAt' | 'format'> & { createdAt?: Date; format?: CommentFormat };

/** What readers may see of an approved, public comment: never email, address or status. */
const publicFields = { id: true, lang: true, name: true, body: true, format: true, isAuthor: true, createdAt: true } as const;

/** The store's public listing: the public fields, and what the threads are built from. */
export type PublicComment = Pick<Comment, keyof typeof publicFields | 'essay' | 'parentId'>;

/**
 * The public comment with its public replies, oldest first: what the API answers (`z.encode` turns a
 * thread into it) and what the island and the comments page render.
 */
export const publicThreadSchema = commentSchema.pick(publicFields).extend({
  get replies(): z.ZodArray<typeof publicThreadSchema> {
    return z.array(publicThreadSchema);
  },
});

/** A public comment with its public replies, in the code (times as `Date`). */
export type CommentThread = z.output<typeof publicThreadSchema> & Pick<Comment, 'essay' | 'parentId'> & { replies: CommentThread[] };

/** A public thread as JSON (times as ISO 8601), as the API answers it and the island reads it. */
export type PublicThreadJson = z.input<typeof publicThreadSchema>;

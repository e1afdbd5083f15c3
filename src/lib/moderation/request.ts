import type { Locale } from '../../i18n/locales.ts';
import { getTranslator } from '../../i18n/translator.ts';
import { readRequestBody, type BodyError, type BodyLimits, type ReadOptions } from '../http/request-body.ts';
import { apiErrorResponse } from '../http/responses.ts';

/**
 * Requests to the console are small: a bulk action names at most 500 comments (the route takes no
 * more), plus its action, token, return path and language.
 */
export const moderationBodyLimits: BodyLimits = { maxBytes: 64 * 1024, maxFields: 510 };

export type ModerationRequest =
  | { ok: true; isJson: boolean; get(field: string): string | undefined; getAll(field: string): string[] }
  | { ok: false; isJson: boolean; error: BodyError };

/** Reads a form post or a JSON body into one shape: text fields, repeated fields as lists. */
export async function readModerationRequest(request: Request, options: ReadOptions = {}): Promise<ModerationRequest> {
  const received = await readRequestBody(request, moderationBodyLimits, options);
  if (!received.ok) return { ok: false, isJson: received.kind === 'json', error: received.error };
  if (received.kind === 'json') {
    const record = received.json;
    const list = (field: string) => {
      const item = record[field];
      const items = Array.isArray(item) ? item : [item];
      return items.filter((entry): entry is string => typeof entry === 'string');
    };
    return { ok: true, isJson: true, get: (field) => list(field)[0], getAll: list };
  }
  const { form } = received;
  const list = (field: string) => form.getAll(field).filter((entry): entry is string => typeof entry === 'string');
  return { ok: true, isJson: false, get: (field) => list(field)[0], getAll: list };
}

/** What the console's API refuses with; `moderation.error.<code>` (or the sign-in and reply notices) say it. */
export type ModerationErrorCode =
  | 'crossOrigin'
  | 'unauthorized'
  | 'invalidCsrfToken'
  | 'unknownAction'
  | 'noCommentSelected'
  | 'commentNotFound'
  | 'tooManyComments'
  | 'invalidCredentials'
  | 'throttled'
  | 'emptyReply'
  | 'replyTooLong'
  | 'parentNotFound'
  | 'invalidSpamRule'
  | 'duplicateSpamRule'
  | 'spamRuleNotFound';

/** Refusals the console's pages also show as notices (a form post without JavaScript). */
const noticeCodes = ['emptyReply', 'replyTooLong', 'parentNotFound', 'invalidSpamRule', 'duplicateSpamRule', 'spamRuleNotFound'] as const;
type NoticeCode = (typeof noticeCodes)[number];

function isNoticeCode(code: ModerationErrorCode): code is NoticeCode {
  return (noticeCodes as readonly string[]).includes(code);
}

function describeModerationError(code: ModerationErrorCode, locale: Locale): string {
  const t = getTranslator(locale);
  if (code === 'invalidCredentials' || code === 'throttled') return t(`moderation.signIn.${code}`);
  if (isNoticeCode(code)) return t(`moderation.notice.${code}`);
  return t(`moderation.error.${code}`);
}

/** A JSON refusal from the console's API, in the moderator's language. */
export function moderationError(status: number, code: ModerationErrorCode, locale: Locale, retryAfterSeconds?: number): Response {
  return apiErrorResponse(status, code, describeModerationError(code, locale), { retryAfterSeconds });
}

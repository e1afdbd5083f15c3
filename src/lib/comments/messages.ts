import type { TFunction } from 'i18next';
import { describeWait } from '../http/rate-limit.ts';
import { commentBodyLimits } from './http.ts';
import { commentLimits, type CommentFieldError } from './schema.ts';
import type { CommentError } from './service.ts';

/** One field error as a sentence in the reader's language. */
export function describeFieldError(error: CommentFieldError, t: TFunction): string {
  if (error.code === 'tooLong')
    return t('comments.fieldError.tooLong', { max: error.field === 'name' ? commentLimits.nameLength : commentLimits.bodyLength });
  if (error.code === 'tooManyLinks') return t('comments.fieldError.tooManyLinks', { max: commentLimits.links });
  if (error.code === 'invalid' && !['name', 'email', 'body'].includes(error.field)) return t('comments.fieldError.formField');
  return t(`comments.fieldError.${error.code}`);
}

/** A refusal as the reader reads it: a message and one sentence per field. */
export function describeCommentError(error: CommentError, t: TFunction): { message: string; fields: Record<string, string> } {
  const seconds = Math.max(1, Math.ceil(error.retryAfterSeconds ?? 5));
  const wait = describeWait(error.retryAfterSeconds ?? 60);
  // The rate limit says its wait in minutes, or in seconds under a minute; other waits are seconds.
  const isWaitInWords = error.code === 'rateLimited' || error.code === 'siteLimited';
  const code = isWaitInWords && wait.unit === 'seconds' ? `${error.code}Seconds` : error.code;
  const values = {
    count: isWaitInWords ? wait.count : seconds,
    max: commentLimits.bodyLength,
    kilobytes: Math.floor(commentBodyLimits.maxBytes / 1024),
    fields: commentBodyLimits.maxFields,
  };
  return {
    // A refused body the comment form has no words of its own for is said as every API says it.
    message: t([`comments.error.${code}`, `request.error.${code}`] as never, values) as string,
    fields: Object.fromEntries(error.fields.map((fieldError) => [fieldError.field, describeFieldError(fieldError, t)])),
  };
}

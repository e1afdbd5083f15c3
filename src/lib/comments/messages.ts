import type { TFunction } from 'i18next';
import { commentLimits, type CommentFieldError } from './schema.ts';
import type { CommentError } from './service.ts';

/** One field error as a sentence in the reader's language. */
export function describeFieldError(error: CommentFieldError, t: TFunction): string {
  if (error.code === 'tooLong') return t('comments.fieldError.tooLong', { max: error.field === 'name' ? commentLimits.nameLength : commentLimits.bodyLength });
  if (error.code === 'tooManyLinks') return t('comments.fieldError.tooManyLinks', { max: commentLimits.links });
  if (error.code === 'invalid' && !['name', 'email', 'body'].includes(error.field)) return t('comments.fieldError.formField');
  return t(`comments.fieldError.${error.code}`);
}

/** A refusal as the reader reads it: a message and one sentence per field. */
export function describeCommentError(error: CommentError, t: TFunction): { message: string; fields: Record<string, string> } {
  const minutes = Math.max(1, Math.ceil((error.retryAfterSeconds ?? 60) / 60));
  return {
    message: t(`comments.error.${error.code}`, { minutes }),
    fields: Object.fromEntries(error.fields.map((fieldError) => [fieldError.field, describeFieldError(fieldError, t)])),
  };
}

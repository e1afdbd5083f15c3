import type { APIContext } from 'astro';
import { sendDueEmailsAfterResponse } from '../email/runtime.ts';
import { jsonResponse } from '../http/responses.ts';
import { openModeratorRequest } from './console-request.ts';
import { getSafeReturnPath, moderationPaths } from './http.ts';
import { moderationError } from './request.ts';
import { isQueueAction } from './service.ts';
import { answerSpamRuleAction, isSpamRuleAction } from './spam-rule-actions.ts';

/** One action's comments travel as one statement parameter; this keeps it well inside D1's limits. */
const maxCommentsPerAction = 1000;

/**
 * Approve, reject, spam, delete (one id or many) and the author's reply. Forms post without
 * JavaScript and are sent back to `return`; scripts send JSON with an X-CSRF-Token header.
 */
export async function answerConsoleAction(context: APIContext): Promise<Response> {
  const opened = await openModeratorRequest(context, { whenSignedOut: 'redirect' });
  if (!opened.ok) return opened.response;
  const { received, locale, runtime, session } = opened;

  const action = received.get('action');
  const back = getSafeReturnPath(received.get('return'), moderationPaths.queue(locale));
  if (action === 'reply') {
    const result = await runtime.service.reply(session.moderator, received.get('id') ?? '', received.get('body') ?? '');
    if (!result.ok)
      return received.isJson
        ? moderationError(result.code === 'parentNotFound' ? 404 : 400, result.code, locale)
        : context.redirect(`${back}#notice-${result.code}`, 303);
    sendDueEmailsAfterResponse();
    return received.isJson ? jsonResponse(201, { id: result.comment.id }) : context.redirect(back, 303);
  }
  if (isSpamRuleAction(action)) return answerSpamRuleAction(context, action, opened);
  if (!isQueueAction(action)) return moderationError(400, 'unknownAction', locale);
  const ids = received.getAll('id');
  if (ids.length === 0) return received.isJson ? moderationError(400, 'noCommentSelected', locale) : context.redirect(back, 303);
  // Refused whole rather than cut short: an action happens to every comment asked for, or to none.
  if (ids.length > maxCommentsPerAction) return moderationError(400, 'tooManyComments', locale);
  const done = await runtime.service.moderate(session.moderator, action, ids);
  if (action === 'approve') sendDueEmailsAfterResponse();
  if (received.isJson)
    return done.length === 0 ? moderationError(404, 'commentNotFound', locale) : jsonResponse(200, { action, ids: done });
  return context.redirect(back, 303);
}

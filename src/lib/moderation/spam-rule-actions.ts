import type { APIContext } from 'astro';
import { jsonResponse } from '../http/responses.ts';
import type { ActiveSession } from './auth.ts';
import type { ConsoleRequest } from './console-request.ts';
import { moderationPaths } from './http.ts';
import { moderationError, type ModerationErrorCode } from './request.ts';
import { isSpamRuleKind, normalizeSpamRule } from './spam-rules.ts';

const spamRuleActions = ['add-spam-rule', 'remove-spam-rule'] as const;
type SpamRuleAction = (typeof spamRuleActions)[number];

export function isSpamRuleAction(value: unknown): value is SpamRuleAction {
  return typeof value === 'string' && (spamRuleActions as readonly string[]).includes(value);
}

type Outcome =
  | { ok: true; status: 200 | 201; notice: 'spamRuleAdded' | 'spamRuleRemoved' }
  | { ok: false; status: 400 | 404 | 409; code: ModerationErrorCode };

async function applySpamRuleAction(
  action: SpamRuleAction,
  { received, runtime, session }: ConsoleRequest & { session: ActiveSession },
): Promise<Outcome> {
  if (action === 'remove-spam-rule') {
    const id = Number(received.get('rule'));
    const isRemoved = Number.isSafeInteger(id) && id > 0 && (await runtime.store.removeSpamRule(id, session.moderator));
    return isRemoved ? { ok: true, status: 200, notice: 'spamRuleRemoved' } : { ok: false, status: 404, code: 'spamRuleNotFound' };
  }
  const kind = received.get('kind');
  const value = isSpamRuleKind(kind) ? normalizeSpamRule(kind, received.get('value') ?? '') : undefined;
  if (!isSpamRuleKind(kind) || value === undefined) return { ok: false, status: 400, code: 'invalidSpamRule' };
  const isAdded = await runtime.store.addSpamRule(kind, value, session.moderator);
  return isAdded ? { ok: true, status: 201, notice: 'spamRuleAdded' } : { ok: false, status: 409, code: 'duplicateSpamRule' };
}

/** Adds a word, phrase or domain to the spam list, or removes one; a form post goes back to the list with a notice. */
export async function answerSpamRuleAction(
  context: APIContext,
  action: SpamRuleAction,
  opened: ConsoleRequest & { session: ActiveSession },
): Promise<Response> {
  const { received, locale } = opened;
  const outcome = await applySpamRuleAction(action, opened);
  const list = moderationPaths.spamRules(locale);
  if (received.isJson)
    return outcome.ok
      ? jsonResponse(outcome.status, { action, rules: await opened.runtime.store.listSpamRules() })
      : moderationError(outcome.status, outcome.code, locale);
  return context.redirect(`${list}#notice-${outcome.ok ? outcome.notice : outcome.code}`, 303);
}

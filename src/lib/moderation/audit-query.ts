import { echoQueryValue } from './queue-view.ts';
import { moderationActions, type AuditEntry, type ModerationAction, type ModerationStore } from './store.ts';

/** What the audit page's `?moderator=` and `?action=` ask for; values it does not know are handed back to name them, and not applied. */
export interface AuditQuery {
  moderator?: string;
  action?: ModerationAction;
  unknownModerator?: string;
  unknownAction?: string;
}

function isModerationAction(value: unknown): value is ModerationAction {
  return typeof value === 'string' && (moderationActions as readonly string[]).includes(value);
}

/**
 * Reads the audit log's filters. An empty value means "all"; a moderator must be one of
 * `moderators` (the names in the log), an action one the log records.
 */
export function readAuditQuery(params: URLSearchParams, moderators: readonly string[]): AuditQuery {
  const askedModerator = params.get('moderator') ?? '';
  const askedAction = params.get('action') ?? '';
  const moderator = moderators.find((name) => name === askedModerator);
  const action = isModerationAction(askedAction) ? askedAction : undefined;
  return {
    ...(moderator !== undefined && { moderator }),
    ...(action && { action }),
    ...(askedModerator !== '' && moderator === undefined && { unknownModerator: echoQueryValue(askedModerator) }),
    ...(askedAction !== '' && !action && { unknownAction: echoQueryValue(askedAction) }),
  };
}

/** What the audit page shows: the newest 500 entries that match its filters, and every moderator in the log to filter by. */
export async function loadAuditLog(
  store: ModerationStore,
  params: URLSearchParams,
): Promise<{ entries: AuditEntry[]; moderators: string[]; query: AuditQuery }> {
  const moderators = await store.listAuditModerators();
  const query = readAuditQuery(params, moderators);
  const entries = await store.listAuditEntries({ moderator: query.moderator, action: query.action, limit: 500 });
  return { entries, moderators, query };
}

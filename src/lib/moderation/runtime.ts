import { essayCatalog } from 'virtual:duizhao/essay-catalog';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { getTranslator } from '../../i18n/translator.ts';
import { createCommentStore, type CommentStore } from '../comments/store.ts';
import { isEmailEnabled } from '../email/runtime.ts';
import { createOnFirstUse, getServerRuntime } from '../server-runtime.ts';
import { createModerationAuth, type ModerationAuth } from './auth.ts';
import { createReplySignature } from './reply-signature.ts';
import { createModerationService, type ModerationService } from './service.ts';
import { createModerationStore, type ModerationStore } from './store.ts';
import { createWebhookNotifier, type WebhookNotifier } from './webhook.ts';

export interface ModerationRuntime {
  store: ModerationStore;
  /** The comments the console lists and acts on. */
  commentStore: CommentStore;
  auth: ModerationAuth;
  service: ModerationService;
  /** Present when MODERATION_WEBHOOK_URL is set. */
  webhook: WebhookNotifier | undefined;
}

/** The moderation console's store, sign-in and actions over the server's database (same COMMENTS_DB or D1 binding, same secret). */
export const getModerationRuntime = createOnFirstUse(async (): Promise<ModerationRuntime> => {
  const { config, driver, secret } = await getServerRuntime();
  const store = createModerationStore(driver, { queueReplyEmails: isEmailEnabled() });
  const commentStore = createCommentStore(driver);
  const webhook = config.webhook && createWebhookNotifier({ ...config.webhook, store });
  // Between requests only a long-lived process has timers; a Worker retries at the next comment.
  if (serverPlatform.hasBackgroundTimers) webhook?.start();
  return {
    webhook,
    store,
    commentStore,
    auth: createModerationAuth({ store, secret }),
    service: createModerationService({
      comments: commentStore,
      moderation: store,
      signReply: createReplySignature({
        configuredName: config.authorName,
        catalog: essayCatalog,
        genericName: (lang) => getTranslator(lang)('comments.author'),
      }),
    }),
  };
});

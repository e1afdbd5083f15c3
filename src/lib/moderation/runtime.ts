import { essayCatalog } from 'virtual:duizhao/essay-catalog';
import { serverPlatform } from 'virtual:duizhao/server-platform';
import { getTranslator } from '../../i18n/translator.ts';
import { getCommentsRuntime, type CommentsRuntime } from '../comments/runtime.ts';
import { createModerationAuth, type ModerationAuth } from './auth.ts';
import { createReplySignature } from './reply-signature.ts';
import { createModerationService, type ModerationService } from './service.ts';
import { createModerationStore, type ModerationStore } from './store.ts';
import { createWebhookNotifier, readWebhookConfig, type WebhookNotifier } from './webhook.ts';

export interface ModerationRuntime {
  comments: CommentsRuntime;
  store: ModerationStore;
  auth: ModerationAuth;
  service: ModerationService;
  /** Present when MODERATION_WEBHOOK_URL is set. */
  webhook: WebhookNotifier | undefined;
}

let runtime: Promise<ModerationRuntime> | undefined;

/** The moderation console's store, sign-in and actions over the comment database (same COMMENTS_DB). */
export function getModerationRuntime(): Promise<ModerationRuntime> {
  runtime ??= getCommentsRuntime()
    .then((comments) => {
      const store = createModerationStore(comments.driver);
      const webhookConfig = readWebhookConfig(process.env);
      const webhook = webhookConfig && createWebhookNotifier({ ...webhookConfig, store });
      // Between requests only a long-lived process has timers; a Worker retries at the next comment.
      if (serverPlatform.hasBackgroundTimers) webhook?.start();
      return {
        webhook,
        comments,
        store,
        auth: createModerationAuth({ store, secret: comments.secret }),
        service: createModerationService({
          comments: comments.service.store,
          moderation: store,
          signReply: createReplySignature({
            configuredName: process.env.MODERATION_AUTHOR_NAME?.trim() || undefined,
            catalog: essayCatalog,
            genericName: (lang) => getTranslator(lang)('comments.author'),
          }),
        }),
      };
    })
    .catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
  return runtime;
}

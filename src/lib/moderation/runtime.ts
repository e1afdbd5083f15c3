import { getCommentsRuntime, type CommentsRuntime } from '../comments/runtime.ts';
import { createModerationAuth, type ModerationAuth } from './auth.ts';
import { createModerationService, type ModerationService } from './service.ts';
import { createModerationStore, type ModerationStore } from './store.ts';

export interface ModerationRuntime {
  comments: CommentsRuntime;
  store: ModerationStore;
  auth: ModerationAuth;
  service: ModerationService;
}

let runtime: Promise<ModerationRuntime> | undefined;

/** The moderation console's store, sign-in and actions over the comment database (same COMMENTS_DB). */
export function getModerationRuntime(): Promise<ModerationRuntime> {
  runtime ??= getCommentsRuntime()
    .then((comments) => {
      const store = createModerationStore(comments.driver);
      return {
        comments,
        store,
        auth: createModerationAuth({ store, secret: comments.secret }),
        service: createModerationService({
          comments: comments.service.store,
          moderation: store,
          authorName: process.env.MODERATION_AUTHOR_NAME?.trim() || undefined,
        }),
      };
    })
    .catch((error: unknown) => {
      runtime = undefined;
      throw error;
    });
  return runtime;
}

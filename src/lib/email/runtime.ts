import { serverPlatform } from 'virtual:duizhao/server-platform';
import { createCommentStore } from '../comments/store.ts';
import { getSiteConfig } from '../server-config.ts';
import { createOnFirstUse, getServerRuntime } from '../server-runtime.ts';
import { createEmailNotifier, type EmailNotifier } from './notifier.ts';
import { createEmailStore, type EmailStore } from './store.ts';

export interface EmailRuntime {
  store: EmailStore;
  notifier: EmailNotifier;
}

/** Whether this server sends email: SMTP_URL is set and the platform can speak SMTP (Node, not a Worker). */
export function isEmailEnabled(): boolean {
  return getSiteConfig().email !== undefined && serverPlatform.createMailSender !== undefined;
}

/** The email outbox and its sender over the server's database; undefined when email is off. */
export const getEmailRuntime = createOnFirstUse(async (): Promise<EmailRuntime | undefined> => {
  const { config, driver, secret, findEssay } = await getServerRuntime();
  const createMailSender = serverPlatform.createMailSender;
  if (!config.email || !createMailSender) return undefined;
  const store = createEmailStore(driver);
  const notifier = createEmailNotifier({
    config: config.email,
    store,
    comments: createCommentStore(driver),
    secret,
    findEssay,
    sendMail: createMailSender(config.email.smtpUrl),
  });
  // Emails queued before a restart (or an SMTP outage) go now, then on the retry timer.
  notifier.start();
  serverPlatform.runAfterResponse(() => notifier.deliverDue());
  return { store, notifier };
});

/** Sends the emails a write just queued, after the answer: they can neither delay nor fail it. */
export function sendDueEmailsAfterResponse(): void {
  if (!isEmailEnabled()) return;
  serverPlatform.runAfterResponse(async () => (await getEmailRuntime())?.notifier.deliverDue());
}

import type { TFunction } from 'i18next';
import type { Comment } from '../comments/schema.ts';
import type { UnsubscribeUrls } from './unsubscribe-link.ts';

/** An email ready for the transport: plain text, with the headers it needs beyond From/To/Subject. */
export interface EmailMessage {
  to: string[];
  subject: string;
  text: string;
  headers: Record<string, string>;
}

/** How much of a public reply the email quotes; the rest is a click away. */
const excerptCharacters = 280;

function excerpt(body: string): string {
  const characters = [...body];
  return characters.length > excerptCharacters ? `${characters.slice(0, excerptCharacters).join('').trimEnd()}…` : body;
}

/** Quotes text the way plain-text email does, so it stands apart from the site's words. */
function quote(text: string): string {
  return text
    .split('\n')
    .map((line) => (line === '' ? '>' : `> ${line}`))
    .join('\n');
}

export interface ReplyEmailInput {
  reply: Comment;
  parent: Comment & { email: string };
  essayTitle: string;
  /** Where the reply is shown; undefined for an answer to a private comment (it has no page). */
  replyUrl: URL | undefined;
  unsubscribe: UnsubscribeUrls;
  /** The commenter's language: the one their comment was written in. */
  t: TFunction;
}

/**
 * The email telling a commenter that someone replied: who, an excerpt and a link; for a private
 * comment the author's whole reply, since no page shows it. One-click unsubscribe (RFC 8058).
 */
export function createReplyEmail({ reply, parent, essayTitle, replyUrl, unsubscribe, t }: ReplyEmailInput): EmailMessage {
  const isPrivateAnswer = replyUrl === undefined;
  const lines = [
    t('email.reply.greeting', { name: parent.name }),
    '',
    t(isPrivateAnswer ? 'email.reply.privateIntro' : 'email.reply.intro', { name: reply.name, title: essayTitle }),
    '',
    quote(isPrivateAnswer ? reply.body : excerpt(reply.body)),
    '',
    ...(replyUrl ? [t('email.reply.readMore'), replyUrl.href, ''] : []),
    t('email.reply.yourComment'),
    quote(excerpt(parent.body)),
    '',
    '-- ',
    t('email.reply.why'),
    t('email.unsubscribe.line'),
    unsubscribe.page.href,
  ];
  return {
    to: [parent.email],
    subject: t(isPrivateAnswer ? 'email.reply.privateSubject' : 'email.reply.subject', { name: reply.name, title: essayTitle }),
    text: lines.join('\n'),
    headers: {
      'List-Unsubscribe': `<${unsubscribe.oneClick.href}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // Automatic mail: no vacation replies back to the site (RFC 3834).
      'Auto-Submitted': 'auto-generated',
    },
  };
}

export interface PendingEmailInput {
  comment: Comment;
  essayTitle: string;
  queueUrl: URL;
  to: string[];
  t: TFunction;
}

/** The moderators' email about one comment waiting in the queue (the webhook's twin). */
export function createPendingEmail({ comment, essayTitle, queueUrl, to, t }: PendingEmailInput): EmailMessage {
  return {
    to,
    subject: t('email.pending.subject', { name: comment.name, title: essayTitle }),
    text: [
      t(comment.isPrivate ? 'email.pending.introPrivate' : 'email.pending.intro', { name: comment.name, title: essayTitle }),
      '',
      quote(excerpt(comment.body)),
      '',
      t('email.pending.review'),
      queueUrl.href,
    ].join('\n'),
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Locale } from '../../i18n/locales.ts';

/** The page a person opens from the email's link (`/{lang}/unsubscribe/`): it asks, then says it worked. */
export const unsubscribePagePath = (locale: Locale) => `/${locale}/unsubscribe/`;
/** The RFC 8058 one-click address (`List-Unsubscribe`): a POST stops the emails, a GET shows the page. */
export const unsubscribeApiPath = '/api/email/unsubscribe/';

function sign(commentId: string, secret: string): string {
  // A purpose prefix keeps this signature from ever matching another HMAC of the same secret.
  return createHmac('sha256', secret).update(`unsubscribe-replies:${commentId}`).digest('base64url');
}

export interface UnsubscribeUrls {
  /** For the email's text: the page, in the commenter's language. */
  page: URL;
  /** For `List-Unsubscribe`: the one-click endpoint. */
  oneClick: URL;
}

/** The signed links for the subscription of `commentId`; `locale` is the commenter's language. */
export function createUnsubscribeUrls(siteUrl: URL, locale: Locale, commentId: string, secret: string): UnsubscribeUrls {
  const query = new URLSearchParams({ c: commentId, s: sign(commentId, secret) });
  const page = new URL(`${unsubscribePagePath(locale)}?${query}`, siteUrl);
  const oneClick = new URL(`${unsubscribeApiPath}?${query}&lang=${locale}`, siteUrl);
  return { page, oneClick };
}

/** The comment id a link was signed for, or undefined for a forged, truncated or altered one. */
export function verifyUnsubscribeLink(commentId: string | null, signature: string | null, secret: string): string | undefined {
  if (!commentId || !signature || commentId.length > 64 || signature.length > 64) return undefined;
  const expected = Buffer.from(sign(commentId, secret));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? commentId : undefined;
}

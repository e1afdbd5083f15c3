import type { AstroCookies } from 'astro';
import { isLocale, matchLocale, type Locale } from '../../i18n/locales.ts';
import type { ActiveSession, ModerationAuth } from './auth.ts';
import { sessionLifetimeMs } from './auth.ts';

export const sessionCookie = 'duizhao_moderator';
export const languageCookie = 'duizhao_moderation_lang';

export const moderationPaths = {
  signIn: '/moderate/',
  queue: '/moderate/queue/',
  audit: '/moderate/audit/',
  signInApi: '/api/moderation/sign-in/',
  signOutApi: '/api/moderation/sign-out/',
  actionsApi: '/api/moderation/actions/',
} as const;

/** Whether a path belongs to the console: these answers are never cached or framed. */
export function isModerationPath(pathname: string): boolean {
  return pathname.startsWith('/moderate/') || pathname === '/moderate' || pathname.startsWith('/api/moderation/');
}

/** Headers every moderation answer carries. */
export const moderationHeaders: Record<string, string> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'X-Robots-Tag': 'noindex, nofollow',
};

interface CookieContext {
  cookies: AstroCookies;
  url: URL;
}

/** The moderator's language: `?lang=` (remembered in a cookie), else the cookie, else Accept-Language. */
export function getModerationLocale({ cookies, url }: CookieContext, request: Request): Locale {
  const asked = url.searchParams.get('lang');
  if (isLocale(asked)) {
    cookies.set(languageCookie, asked, { path: '/', sameSite: 'strict', httpOnly: true, secure: url.protocol === 'https:', maxAge: 365 * 86400 });
    return asked;
  }
  const remembered = cookies.get(languageCookie)?.value;
  if (isLocale(remembered)) return remembered;
  return matchLocale((request.headers.get('accept-language') ?? '').split(','));
}

export function setSessionCookie({ cookies, url }: CookieContext, token: string): void {
  cookies.set(sessionCookie, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: url.protocol === 'https:',
    maxAge: Math.floor(sessionLifetimeMs / 1000),
  });
}

export function clearSessionCookie({ cookies, url }: CookieContext): void {
  cookies.delete(sessionCookie, { path: '/', httpOnly: true, sameSite: 'strict', secure: url.protocol === 'https:' });
}

/** The request's live session (its cookie renewed when the session slid forward). */
export async function readSession(context: CookieContext, auth: ModerationAuth): Promise<ActiveSession | undefined> {
  const token = context.cookies.get(sessionCookie)?.value;
  const session = await auth.getSession(token);
  if (session && token) setSessionCookie(context, token);
  return session;
}

/**
 * Whether a state-changing request comes from our own pages. Astro's checkOrigin covers forms;
 * this also covers JSON, using Origin and the browser's Sec-Fetch-Site.
 */
export function isSameOriginRequest(request: Request, url: URL): boolean {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== url.origin) return false;
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return false;
  return true;
}

/** Only our own console pages may be returned to after a form post. */
export function getSafeReturnPath(value: unknown, fallback: string = moderationPaths.queue): string {
  if (typeof value !== 'string' || !value.startsWith('/moderate/') || value.startsWith('//') || /[\\\s]/.test(value)) return fallback;
  return value;
}

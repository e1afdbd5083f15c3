import type { AstroCookies } from 'astro';
import { isLocale, localeKeys, type Locale } from '../../i18n/locales.ts';
import { getRequestLocale } from '../http/request-locale.ts';
import type { ActiveSession, ModerationAuth } from './auth.ts';
import { sessionLifetimeMs } from './auth.ts';

export const sessionCookie = 'duizhao_moderator';
const languageCookie = 'duizhao_moderation_lang';

/** The console's pages live under each language; `/moderate/` sends the moderator to their remembered one. */
export const moderationPaths = {
  entry: '/moderate/',
  signIn: (locale: Locale) => `/${locale}/moderate/`,
  queue: (locale: Locale) => `/${locale}/moderate/queue/`,
  audit: (locale: Locale) => `/${locale}/moderate/audit/`,
  dashboard: (locale: Locale) => `/${locale}/moderate/dashboard/`,
  spamRules: (locale: Locale) => `/${locale}/moderate/spam-list/`,
  signInApi: '/api/moderation/sign-in/',
  signOutApi: '/api/moderation/sign-out/',
  actionsApi: '/api/moderation/actions/',
} as const;

/** Whether a path belongs to the console: these answers are never cached or framed. */
export function isModerationPath(pathname: string): boolean {
  const [first, second] = pathname.split('/').filter(Boolean);
  return first === 'moderate' || (first === 'api' && second === 'moderation') || (isLocale(first) && second === 'moderate');
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

/** Remembers the language of the console page the moderator opened. */
export function rememberModerationLocale({ cookies, url }: CookieContext, locale: Locale): void {
  cookies.set(languageCookie, locale, {
    path: '/',
    sameSite: 'strict',
    httpOnly: true,
    secure: url.protocol === 'https:',
    maxAge: 365 * 86400,
  });
}

/**
 * The moderator's language where the URL names none: the form's (`formLanguage`, sent by the
 * sign-in page), else `?lang=`, else the remembered one, else Accept-Language.
 */
export function getModerationLocale({ cookies, url }: CookieContext, request: Request, formLanguage?: string): Locale {
  return getRequestLocale(request, [formLanguage, url.searchParams.get('lang'), cookies.get(languageCookie)?.value]);
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
export function getSafeReturnPath(value: unknown, fallback: string): string {
  if (typeof value !== 'string' || /[\\\s]/.test(value)) return fallback;
  const isConsole = localeKeys.some((key) => value.startsWith(`/${key}/moderate/`));
  return isConsole ? value : fallback;
}

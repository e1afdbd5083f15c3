import type { AstroGlobal } from 'astro';
import { isLocale } from '../../i18n/locales.ts';
import type { ActiveSession } from './auth.ts';
import { moderationPaths, readSession, rememberModerationLocale } from './http.ts';
import { getModerationRuntime, type ModerationRuntime } from './runtime.ts';

export type ModeratorPage = { ok: true; runtime: ModerationRuntime; session: ActiveSession } | { ok: false; response: Response };

/**
 * How every page behind the sign-in starts: an unknown language is a 404, the language is
 * remembered for the next visit, and a reader who is not signed in goes to the sign-in page
 * (303) before any of the page's data is read.
 */
export async function openModeratorPage(astro: AstroGlobal): Promise<ModeratorPage> {
  const { locale } = astro.locals;
  if (!isLocale(astro.params.lang)) return { ok: false, response: new Response(null, { status: 404 }) };
  rememberModerationLocale(astro, locale);
  const runtime = await getModerationRuntime();
  const session = await readSession(astro, runtime.auth);
  if (!session) return { ok: false, response: astro.redirect(moderationPaths.signIn(locale), 303) };
  return { ok: true, runtime, session };
}

import { defineMiddleware } from 'astro:middleware';
import { defaultLocale, isLocale } from './i18n/locales.ts';
import { getTranslator } from './i18n/translator.ts';
import { isBodyAbandoned } from './lib/http/request-body.ts';
import { getRequestLocale } from './lib/http/request-locale.ts';
import { acceptsHtml, isApiPath, logServerError, serverErrorResponse, toJsonErrorResponse } from './lib/http/server-errors.ts';
import { isModerationPath, moderationHeaders } from './lib/moderation/http.ts';
import { baseSecurityHeaders } from './lib/security-headers.ts';

/**
 * Puts the page's locale and its translator on Astro.locals; answers a failure of the API as JSON
 * (503 `busy` with Retry-After, else 500 `internal`); adds security headers to on-demand responses.
 */
export const onRequest = defineMiddleware(async (context, next) => {
  // A rewrite runs this again with the first request's currentLocale; a route that rewrote to a page in another language has set it already.
  if (isLocale(context.locals.locale)) return next();
  // The API's URLs name no language (Astro's currentLocale would be the default one): the request's Accept-Language decides.
  const isApi = !context.isPrerendered && isApiPath(context.url.pathname);
  const locale = isApi
    ? getRequestLocale(context.request)
    : isLocale(context.currentLocale)
      ? context.currentLocale
      : context.isPrerendered
        ? defaultLocale
        : getRequestLocale(context.request);
  context.locals.locale = locale;
  context.locals.t = getTranslator(locale);
  // A browser's form post to the API (the comment form without JavaScript) wants a page, even when it fails.
  const isJsonApi = isApi && !acceptsHtml(context.request);
  let response: Response;
  try {
    response = await next();
  } catch (error) {
    // A page's failure goes on to Astro, which logs it once and renders 500.astro in the page's language.
    if (!isJsonApi) throw error;
    logServerError(error, context.request);
    response = serverErrorResponse(error, locale);
  }
  if (context.isPrerendered) return response;
  if (isJsonApi) response = toJsonErrorResponse(response, locale);
  if (isBodyAbandoned(context.request)) response.headers.set('Connection', 'close');
  // Astro labels on-demand pages plain `text/html`; the static server names the charset, and so must we.
  if (response.headers.get('Content-Type') === 'text/html') response.headers.set('Content-Type', 'text/html; charset=utf-8');
  for (const [key, value] of Object.entries(baseSecurityHeaders)) {
    if (!response.headers.has(key)) response.headers.set(key, value);
  }
  if (isModerationPath(context.url.pathname)) {
    // Keep Astro's per-page policy (its script and style hashes) and forbid framing on top of it.
    const pagePolicy = response.headers.get('Content-Security-Policy');
    for (const [name, value] of Object.entries(moderationHeaders)) response.headers.set(name, value);
    if (pagePolicy) response.headers.set('Content-Security-Policy', `${pagePolicy.replace(/;\s*$/, '')}; frame-ancestors 'none'`);
  }
  return response;
});

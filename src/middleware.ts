import { defineMiddleware } from 'astro:middleware';
import { isLocale, matchLocale, defaultLocale } from './i18n/locales.ts';
import { getTranslator } from './i18n/translator.ts';
import { isModerationPath, moderationHeaders } from './lib/moderation/http.ts';

/** Puts the page's locale and its translator on Astro.locals; moderation answers get their security headers. */
export const onRequest = defineMiddleware(async (context, next) => {
  // A rewrite runs this again with the first request's currentLocale; a route that rewrote to a page in another language has set it already.
  if (isLocale(context.locals.locale)) return next();
  const locale = isLocale(context.currentLocale)
    ? context.currentLocale
    : context.isPrerendered
      ? defaultLocale
      : matchLocale((context.request.headers.get('accept-language') ?? '').split(','));
  context.locals.locale = locale;
  context.locals.t = getTranslator(locale);
  if (context.isPrerendered || !isModerationPath(context.url.pathname)) return next();
  const response = await next();
  for (const [name, value] of Object.entries(moderationHeaders)) response.headers.set(name, value);
  return response;
});

import { defineMiddleware } from 'astro:middleware';
import { isLocale, matchLocale, defaultLocale } from './i18n/locales.ts';
import { getTranslator } from './i18n/translator.ts';

/** Puts the page's locale and its translator on Astro.locals. */
export const onRequest = defineMiddleware((context, next) => {
  // A rewrite runs this again with the first request's currentLocale; a route that rewrote to a page in another language has set it already.
  if (isLocale(context.locals.locale)) return next();
  const locale = isLocale(context.currentLocale)
    ? context.currentLocale
    : context.isPrerendered
      ? defaultLocale
      : matchLocale((context.request.headers.get('accept-language') ?? '').split(','));
  context.locals.locale = locale;
  context.locals.t = getTranslator(locale);
  return next();
});

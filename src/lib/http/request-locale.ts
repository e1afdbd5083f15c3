import { isLocale, matchLocale, type Locale } from '../../i18n/locales.ts';

/**
 * The language to answer a request in: the first of `named` that is one of ours (what the request
 * names itself, most specific first: the page's URL segment, a form's `lang`, `?lang=`, a
 * remembered choice), else its Accept-Language. API URLs name no language, so their answers lean
 * on the header. `request` may also be the Accept-Language value itself, for the Node server's
 * own answers, which it writes before any Fetch request exists.
 */
export function getRequestLocale(request: Request | string | undefined, named: readonly unknown[] = []): Locale {
  const chosen = named.find(isLocale);
  if (chosen) return chosen;
  const acceptLanguage = request instanceof Request ? request.headers.get('accept-language') : request;
  return matchLocale((acceptLanguage ?? '').split(','));
}

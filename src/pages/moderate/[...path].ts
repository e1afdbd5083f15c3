import type { APIRoute } from 'astro';
import { getModerationLocale } from '../../lib/moderation/http.ts';

export const prerender = false;

/** `/moderate/…` → the same console page in the moderator's language (`?lang=`, remembered, or the browser's). */
export const GET: APIRoute = (context) => {
  const locale = getModerationLocale(context, context.request);
  const search = new URLSearchParams(context.url.search);
  search.delete('lang');
  const rest = (context.params.path ?? '').replace(/[^\w/-]/g, '');
  const path = rest === '' ? '' : `${rest.replace(/\/+$/, '')}/`;
  const query = search.size > 0 ? `?${search}` : '';
  return context.redirect(`/${locale}/moderate/${path}${query}`, 303);
};

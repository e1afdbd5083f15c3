import { z } from 'astro/zod';
import { mapLocales } from './locales.ts';

/**
 * An object with one required member per locale of the table, each checked by `value` (a
 * non-empty string unless told): a title, a tag's name, a chart label in every language.
 * Spread `.shape` into a wider object to keep its keys in place: `{ id, ...localized().shape }`.
 */
export function localized<T extends z.ZodType = z.ZodString>(value?: T) {
  const member = (value ?? z.string().min(1)) as T;
  return z.object(mapLocales(() => member));
}

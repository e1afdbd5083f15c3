/** A piece of a translated sentence: plain text, or the place where a named element goes. */
export type TextPart = { text: string } | { slot: string };

const marker = '\u0000';

/** A placeholder to interpolate where an element (a link, a <time>) will go; see splitAtSlots. */
export function markSlot(name: string): string {
  return `${marker}${name}${marker}`;
}

/**
 * Splits a translation around elements that cannot be interpolated as text: translate with
 * `markSlot('source')` as the value, then render the returned text and slots in order.
 */
export function splitAtSlots(translated: string): TextPart[] {
  return translated
    .split(marker)
    .map((piece, index): TextPart => (index % 2 === 1 ? { slot: piece } : { text: piece }))
    .filter((part) => !('text' in part) || part.text !== '');
}

// East Asian wide and fullwidth characters (CJK, kana, hangul, fullwidth punctuation) take two terminal columns.
const widePattern =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;

/** How many monospace columns `text` takes: 2 for a Chinese character, 1 for a Latin letter. */
export function getDisplayWidth(text: string): number {
  let width = 0;
  for (const character of text) width += widePattern.test(character) ? 2 : 1;
  return width;
}

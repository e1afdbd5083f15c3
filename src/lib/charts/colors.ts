/**
 * A colour as a canvas reads it (`#rrggbb`, `#rgb`, or the `rgb(r, g, b)` a browser computes) with
 * an alpha, as `rgba()`; any other colour is returned as given.
 */
export function withAlpha(color: string, alpha: number): string {
  const text = color.trim();
  const computed = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/i.exec(text);
  if (computed) return `rgba(${computed[1]}, ${computed[2]}, ${computed[3]}, ${alpha})`;
  const hex = text.replace(/^#/, '');
  if (!/^([0-9a-f]{3}|[0-9a-f]{6})$/i.test(hex)) return color;
  const full = hex.length === 3 ? [...hex].map((digit) => digit + digit).join('') : hex;
  const [red, green, blue] = [0, 2, 4].map((start) => Number.parseInt(full.slice(start, start + 2), 16));
  return `rgba(${red}, ${green}, ${blue}, ${alpha})`;
}

const isoDatePattern = /^\d{4}-\d{2}-\d{2}$/;

/** Why `text` is not a `YYYY-MM-DD` calendar date, or `undefined` when it is one. */
export function describeInvalidDate(text: string): string | undefined {
  if (!isoDatePattern.test(text)) return `“${text}” is not a date written YYYY-MM-DD (e.g. 2025-01-21)`;
  const date = new Date(`${text}T00:00:00Z`);
  // Date rolls 2025-02-30 over to 2025-03-02 instead of failing, so compare the round trip.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) return `“${text}” is not a real date`;
  return undefined;
}

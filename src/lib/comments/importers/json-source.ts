import { z } from 'astro/zod';
import { describeRowIssue, ImportFileError, type ImportProblem, type ParsedSource, type SourceComment } from './mapping.ts';

/** An id as JSON exports write it: text, or a number (SQL-backed Waline). */
export const sourceIdSchema = z.union([z.string().min(1), z.number().int()]).transform(String);
export const optionalIdSchema = z.preprocess((value) => (value === '' || value === undefined ? null : value), sourceIdSchema.nullable());

/** The JSON text of an export; a file that is not JSON stops the import. */
export function parseJsonExport(text: string, system: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ImportFileError(`Not a ${system} export: not JSON (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** Checks each row on its own: a row with a missing field is reported, the others still map. */
export function readRows<Row>(
  rows: readonly unknown[],
  schema: z.ZodType<Row>,
  toSource: (row: Row) => SourceComment,
): Pick<ParsedSource, 'comments' | 'problems'> {
  const comments: SourceComment[] = [];
  const problems: ImportProblem[] = [];
  rows.forEach((row, index) => {
    const parsed = schema.safeParse(row);
    if (parsed.success) {
      comments.push(toSource(parsed.data));
      return;
    }
    const record = typeof row === 'object' && row !== null ? (row as Record<string, unknown>) : {};
    const id = record.objectId ?? record._id ?? record.id;
    problems.push({
      sourceId: typeof id === 'string' || typeof id === 'number' ? String(id) : `row ${index + 1}`,
      reason: describeRowIssue(parsed.error),
    });
  });
  return { comments, problems };
}

import { z } from 'astro/zod';
import { storedCommentSchema, type StoredComment } from './schema.ts';

/**
 * The comments-only export file of earlier versions, version 1: `{ format: "duizhao-comments", version: 1,
 * exportedAt, comments: [...] }`, every comment with every stored field (times as ISO 8601). Exports are
 * whole-site now (src/lib/db/site-export.ts); files of this format still import (README, "Export and import").
 */
export const exportFormat = 'duizhao-comments';
const exportVersion = 1;

const exportFileSchema = z.strictObject({
  format: z.literal(exportFormat),
  version: z.literal(exportVersion),
  exportedAt: z.iso.datetime({ offset: true }),
  comments: z.array(storedCommentSchema),
});

/** The file as JSON (times as ISO 8601); `z.decode` of it gives the comments back as stored. */
export type ExportFile = z.input<typeof exportFileSchema>;

export function toExportFile(comments: readonly StoredComment[], at = new Date()): ExportFile {
  return z.encode(exportFileSchema, {
    format: exportFormat,
    version: exportVersion,
    exportedAt: at.toISOString(),
    comments: [...comments],
  });
}

/** Parses and checks an export file; throws an Error whose message says what is wrong and where. */
export function parseExportFile(text: string): StoredComment[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('The file is not JSON.');
  }
  if (typeof value === 'object' && value !== null && (value as { format?: unknown }).format !== exportFormat) {
    throw new Error(`The file is not a duizhao comment export (format must be "${exportFormat}").`);
  }
  if (typeof value === 'object' && value !== null && (value as { version?: unknown }).version !== exportVersion) {
    throw new Error(
      `Unsupported export version ${JSON.stringify((value as { version?: unknown }).version)}; this version reads ${exportVersion}.`,
    );
  }
  const parsed = exportFileSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid export file at ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  const ids = new Set<string>();
  for (const comment of parsed.data.comments) {
    if (ids.has(comment.id)) throw new Error(`Comment id "${comment.id}" appears twice.`);
    ids.add(comment.id);
  }
  for (const comment of parsed.data.comments) {
    if (comment.parentId !== null && !ids.has(comment.parentId))
      throw new Error(`Comment "${comment.id}" replies to "${comment.parentId}", which is not in the file.`);
  }
  return parsed.data.comments;
}

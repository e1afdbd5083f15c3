import { z } from 'astro/zod';
import { parseJsonExport, optionalIdSchema, readRows, sourceIdSchema } from './json-source.ts';
import { ImportFileError, readSourceDate, type ParsedSource } from './mapping.ts';

// Waline's own statuses; anything else is refused rather than guessed at.
const statuses = { approved: 'approved', waiting: 'pending', spam: 'spam' } as const;

const walineCommentSchema = z.object({
  objectId: sourceIdSchema.optional(),
  id: sourceIdSchema.optional(),
  url: z.string(),
  nick: z.string().nullish(),
  mail: z.string().nullish(),
  comment: z.string(),
  insertedAt: z.unknown().optional(),
  createdAt: z.unknown().optional(),
  status: z.enum(['approved', 'waiting', 'spam']),
  pid: optionalIdSchema.optional(),
  rid: optionalIdSchema.optional(),
  user_id: optionalIdSchema.optional(),
});

const walineExportSchema = z.object({
  data: z.object({
    Comment: z.array(z.unknown()),
    Users: z
      .array(z.object({ objectId: sourceIdSchema.optional(), id: sourceIdSchema.optional(), type: z.string().optional() }).loose())
      .optional(),
  }),
});

// Markdown is what Waline stores from its editor; older Valine data holds rendered HTML.
const looksLikeHtml = /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i;

/** Reads Waline's export (`data.Comment`, with `data.Users` telling who is an administrator). */
export function parseWalineExport(text: string): ParsedSource {
  const parsed = walineExportSchema.safeParse(parseJsonExport(text, 'Waline'));
  if (!parsed.success) throw new ImportFileError('Not a Waline export: expected {"data": {"Comment": [...]}}.');
  const administrators = new Set(
    (parsed.data.data.Users ?? []).filter((user) => user.type === 'administrator').map((user) => user.objectId ?? user.id),
  );
  const rows = readRows(parsed.data.data.Comment, walineCommentSchema, (row) => ({
    sourceId: row.objectId ?? row.id ?? '',
    url: row.url,
    parentSourceId: row.pid ?? row.rid ?? null,
    name: row.nick ?? '',
    email: row.mail ?? null,
    body: row.comment,
    bodyFormat: looksLikeHtml.test(row.comment) ? 'html' : 'markdown',
    createdAt: readSourceDate(row.insertedAt ?? row.createdAt),
    status: statuses[row.status],
    isAuthor: row.user_id !== null && row.user_id !== undefined && administrators.has(row.user_id),
  }));
  const missingId = rows.comments.filter((row) => row.sourceId === '');
  return {
    comments: rows.comments.filter((row) => row.sourceId !== ''),
    problems: [...rows.problems, ...missingId.map((row) => ({ sourceId: '(no id)', url: row.url, reason: 'missing objectId' }))],
    skipped: [],
  };
}

import { z } from 'astro/zod';
import { parseJsonExport, optionalIdSchema, readRows, sourceIdSchema } from './json-source.ts';
import { ImportFileError, readSourceDate, type ParsedSource } from './mapping.ts';

const twikooCommentSchema = z.object({
  _id: sourceIdSchema,
  url: z.string(),
  nick: z.string().nullish(),
  mail: z.string().nullish(),
  comment: z.string(),
  created: z.union([z.number(), z.string()]),
  isSpam: z.boolean().optional(),
  pid: optionalIdSchema.optional(),
  rid: optionalIdSchema.optional(),
  master: z.boolean().optional(),
});

/** Reads Twikoo's export: an array of comments, bodies in HTML, `master` marking the blog's owner. */
export function parseTwikooExport(text: string): ParsedSource {
  const json = parseJsonExport(text, 'Twikoo');
  // The admin panel's export is a bare array; some tools wrap it as {"data": [...]}.
  const rows = Array.isArray(json) ? json : z.object({ data: z.array(z.unknown()) }).safeParse(json).data?.data;
  if (!rows) throw new ImportFileError('Not a Twikoo export: expected an array of comments.');
  return {
    ...readRows(rows, twikooCommentSchema, (row) => ({
      sourceId: row._id,
      url: row.url,
      parentSourceId: row.pid ?? row.rid ?? null,
      name: row.nick ?? '',
      email: row.mail ?? null,
      body: row.comment,
      bodyFormat: 'html',
      createdAt: readSourceDate(row.created),
      // Twikoo has no waiting queue of its own: what is not spam was shown.
      status: row.isSpam ? 'spam' : 'approved',
      isAuthor: row.master === true,
    })),
    skipped: [],
  };
}

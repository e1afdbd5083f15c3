import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTranslator } from '../../src/i18n/translator.ts';
import { issueFormToken } from '../../src/lib/comments/fill-time.ts';
import { readCommentRequest } from '../../src/lib/comments/http.ts';
import { describeCommentError } from '../../src/lib/comments/messages.ts';
import { commentFields, commentInputSchema, commentLimits, describeIssues } from '../../src/lib/comments/schema.ts';
import { createCommentService, type CommentService } from '../../src/lib/comments/service.ts';
import { createCommentStore } from '../../src/lib/comments/store.ts';
import { migrate } from '../../src/lib/db/migrate.ts';
import { commentMigrations } from '../../src/lib/db/migrations.ts';
import type { SqlDriver } from '../../src/lib/db/sql-driver.ts';
import { createSqliteDriver } from '../../src/lib/db/sqlite.ts';
import { checkJsonShape, parseJsonObject, parseUrlEncodedForm, readRequestBody, type BodyLimits } from '../../src/lib/http/request-body.ts';

// Property tests: whatever arrives, the parsers answer with a value or a 4xx refusal, never a throw.

const url = 'http://127.0.0.1/api/test/';
const limits: BodyLimits = { maxBytes: 2048, maxFields: 12, maxDepth: 6 };
const runs = { numRuns: 300 };

const contentTypes = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/ld+json',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=b0undary',
    'multipart/form-data',
    'text/plain',
    '',
  ),
  fc.string({ maxLength: 40 }),
);

/** A body as a stream of arbitrary chunks, with or without a (true or false) Content-Length. */
function toRequest(chunks: Uint8Array[], contentType: string, declared: number | undefined): Request {
  const headers: Record<string, string> = {};
  if (contentType !== '') headers['content-type'] = contentType;
  if (declared !== undefined) headers['content-length'] = String(declared);
  let index = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[index];
      index += 1;
      if (chunk) controller.enqueue(chunk);
      else controller.close();
    },
  });
  // A Request forbids some header values (a Content-Type with a line break): those never reach a route.
  try {
    return new Request(url, { method: 'POST', body, headers, duplex: 'half' } as RequestInit);
  } catch {
    return new Request(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
  }
}

function expectRefusalOrValue(result: Awaited<ReturnType<typeof readRequestBody>>) {
  if (result.ok) {
    if (result.kind === 'json') expect(typeof result.json === 'object' && result.json !== null && !Array.isArray(result.json)).toBe(true);
    else expect(result.form).toBeInstanceOf(FormData);
  } else {
    expect([400, 413, 415]).toContain(result.error.status);
  }
}

describe('the body reader, with arbitrary input', () => {
  it('answers arbitrary bytes in arbitrary chunks with a value or a 4xx, never a throw', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.uint8Array({ maxLength: 700 }), { maxLength: 6 }),
        contentTypes,
        fc.option(fc.nat({ max: 5000 }), { nil: undefined }),
        async (chunks, contentType, declared) => {
          const size = chunks.reduce((total, chunk) => total + chunk.byteLength, 0);
          const result = await readRequestBody(toRequest(chunks, contentType, declared), limits);
          expectRefusalOrValue(result);
          if (result.ok) expect(size).toBeLessThanOrEqual(limits.maxBytes);
          if (size > limits.maxBytes && !result.ok && result.kind) expect(result.error.status).toBe(413);
        },
      ),
      runs,
    );
  });

  it('answers arbitrary text (lone surrogates, brackets, percent signs) the same way', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', ':', ',', '%', '&', '=', '+', 'a', 'F', '0'), maxLength: 600 }),
    );
    await fc.assert(
      fc.asyncProperty(text, contentTypes, async (body, contentType) => {
        expectRefusalOrValue(await readRequestBody(toRequest([new TextEncoder().encode(body)], contentType, undefined), limits));
      }),
      runs,
    );
  });

  it('gives back any JSON object within the limits as JSON.parse reads it, and refuses the rest with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 8 }), async (value) => {
        const text = JSON.stringify(value) ?? 'null';
        const result = await readRequestBody(toRequest([new TextEncoder().encode(text)], 'application/json', undefined), {
          maxBytes: 1 << 20,
          maxFields: 12,
          maxDepth: 6,
        });
        const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
        const shape = checkJsonShape(text, 6, 12);
        if (isObject && shape.ok) expect(result).toEqual({ ok: true, kind: 'json', json: JSON.parse(text) });
        else expect(result).toMatchObject({ ok: false, error: { status: 400 } });
      }),
      runs,
    );
  });

  it('counts depth as JSON.parse would nest, without recursion, at any depth', () => {
    const depthOf = (value: unknown): number =>
      typeof value === 'object' && value !== null ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depthOf)) : 0;
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 10 }), fc.integer({ min: 1, max: 12 }), (value, maxDepth) => {
        const text = JSON.stringify(value) ?? 'null';
        expect(checkJsonShape(text, maxDepth, 1e9).ok).toBe(depthOf(value) <= maxDepth);
      }),
      runs,
    );
    fc.assert(
      fc.property(fc.integer({ min: 21, max: 200_000 }), fc.constantFrom('[', '{"a":'), (depth, opener) => {
        expect(parseJsonObject(opener.repeat(depth), { maxBytes: 1 << 22, maxFields: 10 })).toEqual({ ok: false, code: 'nestedTooDeep' });
      }),
      { numRuns: 20 },
    );
  });

  it('gives back any URL-encoded form as URLSearchParams writes it, when it has few enough fields', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 30 })), {
          maxLength: 20,
        }),
        (entries) => {
          const text = new URLSearchParams(entries).toString();
          const result = parseUrlEncodedForm(text, limits);
          const written = [...new URLSearchParams(text)];
          if (written.length > limits.maxFields) expect(result).toEqual({ ok: false, code: 'tooManyFields' });
          else expect(result.ok && [...result.form]).toEqual(written);
        },
      ),
      runs,
    );
  });

  it('gives back any multipart form a browser would send, line breaks as the browser sends them', async () => {
    const name = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_', '1', '字'), minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(name, fc.string({ unit: 'grapheme', maxLength: 40 })), { maxLength: 16 }), async (entries) => {
        const form = new FormData();
        for (const [key, value] of entries) form.append(key, value);
        const result = await readRequestBody(new Request(url, { method: 'POST', body: form }), limits);
        if (entries.length > limits.maxFields) expect(result).toMatchObject({ ok: false, error: { status: 400, code: 'tooManyFields' } });
        else
          expect(result.ok && result.kind === 'form' && [...result.form]).toEqual(
            entries.map(([key, value]) => [key, value.replace(/\r\n|\r|\n/g, '\r\n')]),
          );
      }),
      { numRuns: 150 },
    );
  });
});

/** Values a client might put in any field: the right type or anything at all. */
const fieldValue = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 6000 }),
  fc.constantFrom('', 'zh', 'en', 'essay-a', 'a@b.co', 'on', 'http://x.example/'),
  fc.boolean(),
  fc.constant(null),
  fc.anything({ maxDepth: 2 }),
);
const commentLike = fc.record(
  Object.fromEntries(commentFields.map((field) => [field, fieldValue])) as Record<(typeof commentFields)[number], typeof fieldValue>,
  {
    requiredKeys: [],
  },
);

describe('the comment validator, with arbitrary input', () => {
  it('accepts or names what is wrong, and what it accepts keeps every limit', () => {
    fc.assert(
      fc.property(fc.oneof(commentLike, fc.anything({ maxDepth: 3 })), (input) => {
        const parsed = commentInputSchema.safeParse(input);
        if (!parsed.success) {
          const errors = describeIssues(parsed.error.issues, input);
          for (const error of errors) expect(commentFields).toContain(error.field);
          return;
        }
        const { name, body, email } = parsed.data;
        expect([...name].length).toBeGreaterThan(0);
        expect([...name].length).toBeLessThanOrEqual(commentLimits.nameLength);
        expect([...body].length).toBeLessThanOrEqual(commentLimits.bodyLength);
        expect(name).not.toMatch(/[\u0000-\u001F\u007F-\u009F]/);
        expect(body).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
        if (email !== undefined) expect(email.length).toBeLessThanOrEqual(commentLimits.emailLength);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a comment request from bytes to answer, with arbitrary input', () => {
  let driver: SqlDriver;
  let service: CommentService;
  const secret = 'property-test-secret-value';
  const now = new Date('2025-05-01T12:00:00Z');

  beforeAll(async () => {
    driver = createSqliteDriver(':memory:');
    await migrate(driver, commentMigrations);
    service = createCommentService({
      store: createCommentStore(driver),
      secret,
      rateLimit: null,
      minFillMs: 0,
      isKnownEssay: (slug) => slug === 'essay-a',
      now: () => now,
    });
  });
  afterAll(() => driver.close());

  it('ends in a 201-worthy comment or a 4xx with a message in both languages, never a throw', async () => {
    const token = issueFormToken(secret, new Date(now.getTime() - 10_000));
    let stored = 0;
    // Near-valid comments too, so that both ends (stored and refused) are reached.
    const nearlyValid = fc.record({
      essay: fc.constantFrom('essay-a', 'essay-b'),
      lang: fc.constantFrom('zh', 'en', 'fr'),
      name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 70 }),
      body: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5100 }),
      email: fc.constantFrom('', 'ann@example.com', 'not-an-email'),
    });
    const body = fc.oneof(
      nearlyValid.map((fields) => JSON.stringify({ ...fields, formToken: token })),
      commentLike.map((fields) => JSON.stringify({ ...fields, formToken: token }) ?? '{}'),
      // Objects without a prototype have no toString: a form carries them as their JSON.
      commentLike.map((fields) =>
        new URLSearchParams(
          Object.entries(fields).map(([key, value]) => [key, typeof value === 'string' ? value : (JSON.stringify(value) ?? '')]),
        ).toString(),
      ),
      fc.string({ unit: 'binary', maxLength: 300 }),
    );
    await fc.assert(
      fc.asyncProperty(
        body,
        fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain'),
        async (text, contentType) => {
          const received = await readCommentRequest(
            new Request('http://127.0.0.1/api/comments/', { method: 'POST', body: text, headers: { 'content-type': contentType } }),
          );
          const result = received.ok ? await service.submitComment(received.fields, { address: '203.0.113.7' }) : received;
          if (result.ok) {
            stored += 1;
            expect(result.comment.status).toBe('pending');
            return;
          }
          expect(result.error.status).toBeGreaterThanOrEqual(400);
          expect(result.error.status).toBeLessThan(500);
          for (const locale of ['zh', 'en'] as const) {
            const { message } = describeCommentError(result.error, getTranslator(locale));
            expect(message).not.toMatch(/^(comments|request)\.|\{\{/);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(stored, 'comments stored').toBeGreaterThan(0);
  });
});

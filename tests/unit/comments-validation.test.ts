import { describe, expect, it } from 'vitest';
import { commentInputSchema, describeIssues, normalizeText, readCommentForm } from '../../src/lib/comments/schema.ts';

const valid = { essay: 'who-welcomed-them', lang: 'zh', name: '小明', body: '写得好。' };

function validate(input: Record<string, unknown>) {
  const result = commentInputSchema.safeParse(input);
  return result.success ? { ok: true as const, data: result.data } : { ok: false as const, errors: describeIssues(result.error.issues, input) };
}

describe('comment validation', () => {
  it('accepts a minimal comment and fills in defaults', () => {
    expect(validate(valid)).toEqual({ ok: true, data: { ...valid, private: false } });
  });

  it('normalizes to NFC, trims and keeps line breaks', () => {
    const result = validate({ ...valid, name: '  Zoe\u0301 ', body: '\r\n first\r\nsecond\rthird \n' });
    expect(result.ok && result.data.name).toBe('Zoé');
    expect(result.ok && result.data.body).toBe('first\nsecond\nthird');
    expect(normalizeText('e\u0301')).toBe('é');
  });

  it('requires a name and a body that are not only white space', () => {
    expect(validate({ ...valid, name: '   ', body: '\n\t' })).toEqual({
      ok: false,
      errors: [
        { field: 'name', code: 'required' },
        { field: 'body', code: 'required' },
      ],
    });
    expect(validate({ essay: 'x', lang: 'zh' })).toMatchObject({ ok: false, errors: [{ field: 'name', code: 'required' }, { field: 'body', code: 'required' }] });
  });

  it('allows 5,000 characters, counting each Chinese character or emoji once', () => {
    expect(validate({ ...valid, body: '字'.repeat(5000) }).ok).toBe(true);
    expect(validate({ ...valid, body: '😀'.repeat(5000) }).ok).toBe(true);
    expect(validate({ ...valid, body: '字'.repeat(5001) })).toEqual({ ok: false, errors: [{ field: 'body', code: 'tooLong' }] });
    expect(validate({ ...valid, name: 'n'.repeat(61) })).toEqual({ ok: false, errors: [{ field: 'name', code: 'tooLong' }] });
  });

  it('refuses control characters, but keeps tabs and line breaks in the body', () => {
    expect(validate({ ...valid, body: 'a\u0000b' })).toEqual({ ok: false, errors: [{ field: 'body', code: 'controlCharacters' }] });
    expect(validate({ ...valid, body: 'a\u009bb' })).toEqual({ ok: false, errors: [{ field: 'body', code: 'controlCharacters' }] });
    expect(validate({ ...valid, body: 'a\tb\nc' }).ok).toBe(true);
    expect(validate({ ...valid, name: 'a\nb' })).toEqual({ ok: false, errors: [{ field: 'name', code: 'controlCharacters' }] });
    expect(validate({ ...valid, name: 'evil\u202Egnp.exe' })).toEqual({ ok: false, errors: [{ field: 'name', code: 'controlCharacters' }] });
  });

  it('refuses half a surrogate pair', () => {
    expect(validate({ ...valid, body: 'a\uD800b' })).toEqual({ ok: false, errors: [{ field: 'body', code: 'invalid' }] });
    expect(validate({ ...valid, body: '😀' }).ok).toBe(true);
  });

  it('allows three links in a body and none in a name', () => {
    expect(validate({ ...valid, body: 'https://a.com https://b.com www.c.com' }).ok).toBe(true);
    expect(validate({ ...valid, body: 'https://a.com https://b.com www.c.com http://d.com' })).toEqual({
      ok: false,
      errors: [{ field: 'body', code: 'tooManyLinks' }],
    });
    expect(validate({ ...valid, name: 'cheap www.pills.example' })).toEqual({ ok: false, errors: [{ field: 'name', code: 'linkInName' }] });
  });

  it('checks an email only when one is given', () => {
    expect(validate({ ...valid, email: '' }).ok).toBe(true);
    expect(validate({ ...valid, email: ' reader@example.com ' })).toMatchObject({ ok: true, data: { email: 'reader@example.com' } });
    expect(validate({ ...valid, email: 'not an email' })).toEqual({ ok: false, errors: [{ field: 'email', code: 'invalidEmail' }] });
  });

  it('refuses wrong types instead of guessing', () => {
    expect(validate({ ...valid, private: 'yes' })).toEqual({ ok: false, errors: [{ field: 'private', code: 'invalid' }] });
    expect(validate({ ...valid, body: 42 })).toEqual({ ok: false, errors: [{ field: 'body', code: 'invalid' }] });
    expect(validate({ ...valid, lang: 'fr' })).toEqual({ ok: false, errors: [{ field: 'lang', code: 'invalid' }] });
    expect(validate({ ...valid, parent: '../../etc' })).toEqual({ ok: false, errors: [{ field: 'parent', code: 'invalid' }] });
    expect(validate({ ...valid, name: ['a'] })).toEqual({ ok: false, errors: [{ field: 'name', code: 'invalid' }] });
  });

  it('treats an empty parent or token as absent', () => {
    expect(validate({ ...valid, parent: '', formToken: '' })).toEqual({ ok: true, data: { ...valid, private: false } });
  });

  it('reads a posted form the way JSON clients send it', () => {
    const form = new URLSearchParams({ ...valid, private: 'on', website: '', extra: 'ignored' });
    expect(readCommentForm((field) => form.get(field))).toEqual({ ...valid, private: true, website: '' });
    const unticked = new URLSearchParams(valid);
    expect(readCommentForm((field) => unticked.get(field)).private).toBe(false);
  });
});

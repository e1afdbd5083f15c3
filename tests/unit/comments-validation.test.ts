import { describe, expect, it } from 'vitest';
import { commentInputSchema, describeIssues, normalizeText, readCommentForm } from '../../src/lib/comments/schema.ts';

const valid = { essay: 'who-welcomed-them', lang: 'zh', name: '小明', body: '写得好。' };

function validate(input: Record<string, unknown>) {
  const result = commentInputSchema.safeParse(input);
  return result.success
    ? { ok: true as const, data: result.data }
    : { ok: false as const, errors: describeIssues(result.error.issues, input) };
}

describe('comment validation', () => {
  it('accepts a minimal comment and fills in defaults', () => {
    expect(validate(valid)).toEqual({ ok: true, data: { ...valid, private: false, notifyReplies: false } });
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
    expect(validate({ essay: 'x', lang: 'zh' })).toMatchObject({
      ok: false,
      errors: [
        { field: 'name', code: 'required' },
        { field: 'body', code: 'required' },
      ],
    });
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
  });

  it('removes bidirectional overrides and isolates from names and bodies, and direction marks from names', () => {
    const result = validate({ ...valid, name: '\u202Eevil\u202Cgnp.exe\u200F ', body: 'see \u2067\u202Dhidden\u2069 text \u200F(quoted)' });
    expect(result).toEqual({
      ok: true,
      data: { ...valid, name: 'evilgnp.exe', body: 'see hidden text \u200F(quoted)', private: false, notifyReplies: false },
    });
    for (const control of ['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069']) {
      const cleaned = validate({ ...valid, name: `a${control}b`, body: `c${control}d` });
      expect(cleaned.ok && [cleaned.data.name, cleaned.data.body], `U+${control.codePointAt(0)?.toString(16)}`).toEqual(['ab', 'cd']);
    }
    // What removal leaves at the edges is trimmed like any other white space.
    expect(validate({ ...valid, name: '\u202E Ann' })).toMatchObject({ ok: true, data: { name: 'Ann' } });
  });

  it('refuses a name or body with nothing visible in it', () => {
    const invisible = [
      '\u200B',
      '\u200C\u200D',
      '\u2060\u2061\u2062\u2063\u2064',
      '\u206A\u206F',
      '\u00AD',
      '\u200B\uFEFF',
      '\uFE0F',
      '\u{E0100}',
      '\u3164\u115F',
      '\u2800',
      '\u034F',
      '\u{E0041}',
      '\u200B \u3000\u200B',
      '\u202E\u200E',
    ];
    for (const text of invisible) {
      const label = [...text].map((character) => `U+${character.codePointAt(0)?.toString(16)}`).join(' ');
      expect(validate({ ...valid, name: text }), label).toEqual({ ok: false, errors: [{ field: 'name', code: 'invisibleOnly' }] });
      expect(validate({ ...valid, body: text }), label).toEqual({ ok: false, errors: [{ field: 'body', code: 'invisibleOnly' }] });
    }
    // White space (a BOM counts as such) is simply empty.
    expect(validate({ ...valid, name: ' \u3000\t\uFEFF' })).toEqual({ ok: false, errors: [{ field: 'name', code: 'required' }] });
  });

  it('keeps joiners and variation selectors that are part of what a name shows', () => {
    const family = '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}';
    expect(validate({ ...valid, name: `${family} Lin` })).toMatchObject({ ok: true, data: { name: `${family} Lin` } });
    expect(validate({ ...valid, name: '\u2764\uFE0F' })).toMatchObject({ ok: true, data: { name: '\u2764\uFE0F' } });
    expect(validate({ ...valid, name: 'Zoe\u200B\u00AD\uFEFF' })).toMatchObject({ ok: true, data: { name: 'Zoe' } });
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
    expect(validate({ ...valid, parent: '', formToken: '' })).toEqual({
      ok: true,
      data: { ...valid, private: false, notifyReplies: false },
    });
  });

  it('reads a posted form the way JSON clients send it', () => {
    const form = new URLSearchParams({ ...valid, private: 'on', website: '', extra: 'ignored' });
    expect(readCommentForm((field) => form.get(field))).toEqual({ ...valid, private: true, notifyReplies: false, website: '' });
    const unticked = new URLSearchParams(valid);
    expect(readCommentForm((field) => unticked.get(field)).private).toBe(false);
  });
});

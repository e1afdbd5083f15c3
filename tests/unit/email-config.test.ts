import { describe, expect, it } from 'vitest';
import { createUnsubscribeUrls, verifyUnsubscribeLink } from '../../src/lib/email/unsubscribe-link.ts';
import { readEmailConfig } from '../../src/lib/server-config.ts';

const base = {
  SMTP_URL: 'smtps://user:secret@mail.example.com:465',
  MAIL_FROM: '对照 <comments@example.com>',
  SITE_URL: 'https://example.com',
};

describe('email settings', () => {
  it('turns email off when SMTP_URL is unset, and reads the rest when it is set', () => {
    expect(readEmailConfig({})).toBeUndefined();
    expect(readEmailConfig({ ...base, MODERATION_EMAIL: ' a@example.com, b@example.com ', MAIL_RETRY_SECONDS: '5' })).toEqual({
      smtpUrl: base.SMTP_URL,
      from: base.MAIL_FROM,
      siteUrl: new URL('https://example.com'),
      moderatorAddresses: ['a@example.com', 'b@example.com'],
      retryBaseMs: 5000,
    });
    expect(readEmailConfig(base)?.retryBaseMs).toBe(60_000);
  });

  it('refuses what it cannot use, naming the variable', () => {
    expect(() => readEmailConfig({ ...base, SMTP_URL: 'http://mail.example.com' })).toThrow(/^SMTP_URL must be an smtp:\/\/ or smtps:\/\//);
    expect(() => readEmailConfig({ ...base, MAIL_FROM: '' })).toThrow(/^MAIL_FROM must be an address/);
    expect(() => readEmailConfig({ ...base, MAIL_FROM: 'Name <not an address>' })).toThrow(/^MAIL_FROM/);
    expect(() => readEmailConfig({ ...base, SITE_URL: '' })).toThrow(/^SITE_URL must be set when SMTP_URL is/);
    expect(() => readEmailConfig({ ...base, MODERATION_EMAIL: 'a@example.com, nobody' })).toThrow(/^MODERATION_EMAIL .* "nobody"/);
    expect(() => readEmailConfig({ ...base, MAIL_RETRY_SECONDS: '0' })).toThrow(/^MAIL_RETRY_SECONDS/);
  });
});

describe('unsubscribe links', () => {
  const secret = 'a secret of at least sixteen characters';
  const { page, oneClick } = createUnsubscribeUrls(new URL('https://example.com'), 'zh', 'comment-1', secret);
  const signature = page.searchParams.get('s');

  it('point at the page in the commenter’s language and at the one-click address, signed alike', () => {
    expect(page.href).toMatch(/^https:\/\/example\.com\/zh\/unsubscribe\/\?c=comment-1&s=[\w-]{43}$/);
    expect(oneClick.href).toBe(`https://example.com/api/email/unsubscribe/?c=comment-1&s=${signature}&lang=zh`);
    expect(verifyUnsubscribeLink('comment-1', signature, secret)).toBe('comment-1');
  });

  it('refuse a forged, truncated or moved signature, and one made with another secret', () => {
    expect(verifyUnsubscribeLink('comment-2', signature, secret)).toBeUndefined();
    expect(verifyUnsubscribeLink('comment-1', signature!.slice(0, -1), secret)).toBeUndefined();
    expect(verifyUnsubscribeLink('comment-1', `${signature}A`, secret)).toBeUndefined();
    expect(verifyUnsubscribeLink('comment-1', 'A'.repeat(43), secret)).toBeUndefined();
    expect(verifyUnsubscribeLink('comment-1', signature, 'another secret, also long enough')).toBeUndefined();
    expect(verifyUnsubscribeLink(null, signature, secret)).toBeUndefined();
    expect(verifyUnsubscribeLink('comment-1', null, secret)).toBeUndefined();
    expect(verifyUnsubscribeLink('x'.repeat(65), signature, secret)).toBeUndefined();
  });
});

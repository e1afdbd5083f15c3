import { describe, expect, it } from 'vitest';
import { checkFormToken, issueFormToken } from '../../src/lib/comments/fill-time.ts';
import { getClientAddress, getSenderKey, hashSender } from '../../src/lib/http/client-address.ts';
import { parseTrustProxy, readSiteConfig } from '../../src/lib/server-config.ts';

describe('the sender’s address', () => {
  it('is the socket’s unless proxies are trusted, whatever X-Forwarded-For claims', () => {
    expect(getClientAddress('203.0.113.9', '198.51.100.1', 0)).toBe('203.0.113.9');
    expect(getClientAddress('::ffff:203.0.113.9', null, 0)).toBe('203.0.113.9');
  });

  it('counts trusted hops from the right of X-Forwarded-For', () => {
    // The client forged the first entry; our one proxy appended the real address.
    expect(getClientAddress('10.0.0.2', '6.6.6.6, 198.51.100.7', 1)).toBe('198.51.100.7');
    expect(getClientAddress('10.0.0.3', '6.6.6.6, 198.51.100.7, 10.0.0.2', 2)).toBe('198.51.100.7');
    expect(getClientAddress('10.0.0.3', '198.51.100.7', 3)).toBe('198.51.100.7');
    expect(getClientAddress('10.0.0.2', '[2001:db8::5]:443', 1)).toBe('2001:db8::5');
  });

  it('falls back to the socket when the header is missing or not an address', () => {
    expect(getClientAddress('10.0.0.2', null, 1)).toBe('10.0.0.2');
    expect(getClientAddress('10.0.0.2', 'unknown', 1)).toBe('10.0.0.2');
  });

  it('reads TRUST_PROXY', () => {
    expect(parseTrustProxy(undefined)).toBe(0);
    expect(parseTrustProxy('2')).toBe(2);
    expect(() => parseTrustProxy('yes')).toThrow(/TRUST_PROXY/);
    expect(() => parseTrustProxy('-1')).toThrow(/TRUST_PROXY/);
  });

  it('groups an IPv6 sender by /64', () => {
    expect(getSenderKey('2001:db8:1:2:aaaa::1')).toBe('2001:0db8:0001:0002::/64');
    expect(getSenderKey('2001:db8:1:2::ffff')).toBe(getSenderKey('2001:db8:1:2:ffff:ffff:ffff:1'));
    expect(getSenderKey('::1')).toBe('0000:0000:0000:0000::/64');
    expect(getSenderKey('203.0.113.9')).toBe('203.0.113.9');
  });

  it('stores only a keyed hash', () => {
    const hash = hashSender('203.0.113.9', 'secret-one-secret-one');
    expect(hash).not.toContain('203');
    expect(hashSender('203.0.113.9', 'secret-one-secret-one')).toBe(hash);
    expect(hashSender('203.0.113.9', 'secret-two-secret-two')).not.toBe(hash);
    expect(hashSender('203.0.113.10', 'secret-one-secret-one')).not.toBe(hash);
  });
});

describe('fill-time tokens', () => {
  const secret = 'a-secret-of-some-length';
  const issued = new Date('2025-05-01T12:00:00Z');
  const token = issueFormToken(secret, issued);
  const after = (ms: number) => new Date(issued.getTime() + ms);

  it('pass after the minimum fill time', () => {
    expect(checkFormToken(token, secret, { now: after(3000), minFillMs: 3000 })).toEqual({ kind: 'valid' });
  });

  it('catch a form sent too soon', () => {
    expect(checkFormToken(token, secret, { now: after(500), minFillMs: 3000 })).toEqual({ kind: 'tooFast', waitMs: 2500 });
  });

  it('expire after a day, and are absent when missing', () => {
    expect(checkFormToken(token, secret, { now: after(25 * 3_600_000), minFillMs: 3000 })).toEqual({ kind: 'expired' });
    expect(checkFormToken(undefined, secret, { now: issued, minFillMs: 3000 })).toEqual({ kind: 'absent' });
  });

  it('cannot be forged or backdated', () => {
    const [, signature] = token.split('.');
    const backdated = `${(issued.getTime() - 60_000).toString(36)}.${signature}`;
    expect(checkFormToken(backdated, secret, { now: after(1000), minFillMs: 3000 })).toEqual({ kind: 'invalid' });
    expect(checkFormToken(token, 'another-secret-entirely', { now: after(5000), minFillMs: 3000 })).toEqual({ kind: 'invalid' });
    expect(checkFormToken('garbage', secret, { now: after(5000), minFillMs: 3000 })).toEqual({ kind: 'invalid' });
  });
});

describe('configuration', () => {
  it('has defaults for everything', () => {
    expect(readSiteConfig({})).toEqual({
      databasePath: 'data/comments.db',
      rateLimit: { max: 5, windowMs: 600_000 },
      siteCommentLimit: { max: 200, windowMs: 3_600_000 },
      collectRateLimit: { max: 30, windowMs: 3_600_000 },
      viewsPerNetwork: 50,
      trustedProxyHops: 0,
      secret: undefined,
      minFillMs: 3000,
      webhook: undefined,
      authorName: undefined,
    });
  });

  it('reads every variable', () => {
    expect(
      readSiteConfig({
        COMMENTS_DB: '/var/lib/duizhao/comments.db',
        COMMENTS_RATE_LIMIT: '0',
        COMMENTS_SITE_LIMIT: '20/30m',
        TRUST_PROXY: '1',
        COMMENTS_SECRET: 'a-long-enough-secret',
        COMMENTS_MIN_FILL_SECONDS: '0',
        COLLECTS_RATE_LIMIT: '10/1d',
        VIEWS_PER_NETWORK: '200',
        MODERATION_WEBHOOK_URL: 'https://hooks.example/duizhao',
        MODERATION_WEBHOOK_RETRY_SECONDS: '5',
        MODERATION_AUTHOR_NAME: ' 观察者 ',
      }),
    ).toEqual({
      databasePath: '/var/lib/duizhao/comments.db',
      rateLimit: null,
      siteCommentLimit: { max: 20, windowMs: 1_800_000 },
      collectRateLimit: { max: 10, windowMs: 86_400_000 },
      viewsPerNetwork: 200,
      trustedProxyHops: 1,
      secret: 'a-long-enough-secret',
      minFillMs: 0,
      webhook: { url: 'https://hooks.example/duizhao', retryBaseMs: 5000 },
      authorName: '观察者',
    });
  });

  it('refuses a short secret and a negative fill time', () => {
    expect(() => readSiteConfig({ COMMENTS_SECRET: 'short' })).toThrow(/COMMENTS_SECRET/);
    expect(() => readSiteConfig({ COMMENTS_MIN_FILL_SECONDS: '-1' })).toThrow(/COMMENTS_MIN_FILL_SECONDS/);
    expect(() => readSiteConfig({ COLLECTS_RATE_LIMIT: 'lots' })).toThrow(/COLLECTS_RATE_LIMIT/);
    expect(() => readSiteConfig({ VIEWS_PER_NETWORK: '2.5' })).toThrow(/VIEWS_PER_NETWORK/);
    expect(readSiteConfig({ VIEWS_PER_NETWORK: 'off' }).viewsPerNetwork).toBeNull();
  });
});

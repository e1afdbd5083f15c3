import { describe, expect, it } from 'vitest';
import { addPageSecurityHeaders, formatAssetHeadersRules } from '../../src/integrations/static-security-headers.ts';
import { getFramingHeaders } from '../../src/lib/security-headers.ts';

describe('framing', () => {
  it('forbids every page to be framed, in both the CSP and X-Frame-Options', () => {
    for (const path of ['/', '/zh/', '/en/essays/a/', '/zh/search/', '/zh/data/a/', '/embed/charts/a/', '/zh/embedded/']) {
      expect(getFramingHeaders(path)).toEqual({ 'Content-Security-Policy': "frame-ancestors 'none'", 'X-Frame-Options': 'DENY' });
    }
  });

  it('lets any site frame a chart embed, in every language, and nothing else', () => {
    for (const path of ['/zh/embed/charts/a/', '/en/embed/charts/a/']) {
      expect(getFramingHeaders(path)).toEqual({ 'Content-Security-Policy': 'frame-ancestors *' });
    }
  });

  it('lets a later rule make an exception for one page type', () => {
    const rules = [
      { path: '/*', ancestors: "'none'" },
      { path: '/embed/*', ancestors: '*' },
    ];
    expect(getFramingHeaders('/embed/charts/a/', rules)).toEqual({ 'Content-Security-Policy': 'frame-ancestors *' });
    expect(getFramingHeaders('/zh/', rules)).toMatchObject({ 'X-Frame-Options': 'DENY' });
    // On Cloudflare all matching rules add up, so the exception first takes the stricter headers away.
    expect(formatAssetHeadersRules(rules)).toContain(
      '/embed/*\n  ! Content-Security-Policy\n  ! X-Frame-Options\n  Content-Security-Policy: frame-ancestors *',
    );
  });
});

describe('static headers', () => {
  it('give every Cloudflare asset nosniff and the framing rule', () => {
    expect(formatAssetHeadersRules()).toBe(
      [
        '/*',
        '  X-Content-Type-Options: nosniff',
        '  Referrer-Policy: strict-origin-when-cross-origin',
        "  Content-Security-Policy: frame-ancestors 'none'",
        '  X-Frame-Options: DENY',
        '',
        ...['zh', 'en'].flatMap((locale) => [
          `/${locale}/embed/*`,
          '  ! Content-Security-Policy',
          '  ! X-Frame-Options',
          '  Content-Security-Policy: frame-ancestors *',
          '',
        ]),
      ]
        .join('\n')
        .trimEnd(),
    );
  });

  it('add frame-ancestors to a Node page’s own CSP, once, and the other headers', () => {
    const page = {
      pathname: '/zh/',
      headers: [{ key: 'Content-Security-Policy', value: "default-src 'self'; script-src 'self' 'sha256-x';" }],
    };
    const withHeaders = addPageSecurityHeaders(page);
    expect(withHeaders.headers).toEqual([
      { key: 'Content-Security-Policy', value: "default-src 'self'; script-src 'self' 'sha256-x'; frame-ancestors 'none'" },
      { key: 'X-Content-Type-Options', value: 'nosniff' },
      { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
      { key: 'X-Frame-Options', value: 'DENY' },
    ]);
    expect(addPageSecurityHeaders(withHeaders)).toEqual(withHeaders);
    // The input is left as it was.
    expect(page.headers).toHaveLength(1);
    expect(addPageSecurityHeaders({ pathname: '/', headers: [] }).headers).toContainEqual({
      key: 'Content-Security-Policy',
      value: "frame-ancestors 'none'",
    });
  });
});

import { describe, expect, it } from 'vitest';
import { getTrailingSlashRedirectStatus } from '../../src/lib/http/trailing-slash.ts';

describe('the redirect to an address’s trailing slash', () => {
  it('keeps the method and body for everything but GET', () => {
    expect(getTrailingSlashRedirectStatus('GET')).toBe(301);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', undefined])
      expect(getTrailingSlashRedirectStatus(method)).toBe(308);
  });
});

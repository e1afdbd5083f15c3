import { describe, expect, it } from 'vitest';
import { getOwnOrigins, isCrossSiteRequest } from '../../src/lib/http/request-site.ts';

const ours = ['http://127.0.0.1:4321', 'https://duizhao.example'];
const request = (headers: Record<string, string>) => new Request('http://127.0.0.1:4321/api/signals/views/', { method: 'POST', headers });

describe('requests made by another site’s page', () => {
  it('are told by the browser’s Sec-Fetch-Site: another site or a sibling subdomain', () => {
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'cross-site' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'same-site' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'Cross-Site' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'same-origin' }), ours)).toBe(false);
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'none' }), ours)).toBe(false);
  });

  it('are told by an Origin or Referer that is not ours', () => {
    expect(isCrossSiteRequest(request({ origin: 'https://elsewhere.example' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ origin: 'null' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ referer: 'https://elsewhere.example/page?x=1' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ referer: 'https://duizhao.example.elsewhere.example/' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ referer: 'http://127.0.0.1:4322/zh/' }), ours)).toBe(true);
    expect(isCrossSiteRequest(request({ referer: 'not a url' }), ours)).toBe(true);
    // A same-origin Sec-Fetch-Site does not vouch for a foreign Referer.
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'same-origin', referer: 'https://elsewhere.example/' }), ours)).toBe(true);
  });

  it('are not our own pages, nor requests that say nothing', () => {
    expect(isCrossSiteRequest(request({}), ours)).toBe(false);
    expect(isCrossSiteRequest(request({ referer: '' }), ours)).toBe(false);
    expect(isCrossSiteRequest(request({ origin: 'http://127.0.0.1:4321', referer: 'http://127.0.0.1:4321/zh/essays/a/' }), ours)).toBe(
      false,
    );
    expect(isCrossSiteRequest(request({ 'sec-fetch-site': 'same-origin', referer: 'https://duizhao.example/en/essays/a/' }), ours)).toBe(
      false,
    );
  });

  it('are compared with the request’s own origin and the public one', () => {
    expect(getOwnOrigins(new URL('http://127.0.0.1:4321/api/'), 'https://duizhao.example/blog/')).toEqual([
      'http://127.0.0.1:4321',
      'https://duizhao.example',
    ]);
    expect(getOwnOrigins(new URL('http://localhost:4321/api/'), 'http://localhost:4321')).toEqual(['http://localhost:4321']);
    expect(getOwnOrigins(new URL('http://localhost:4321/api/'), undefined)).toEqual(['http://localhost:4321']);
  });
});

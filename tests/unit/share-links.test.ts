import { describe, expect, it } from 'vitest';
import { drawQrCode } from '../../src/lib/share/qr-code.ts';
import { getWeiboShareUrl, getXShareUrl } from '../../src/lib/share/share-links.ts';

const essayUrl = 'https://duizhao.example/zh/essays/tiktok-refugees-on-rednote/';
const title = '一个标签里的“TikTok 难民”：小红书这一周的数字与疑问';

describe('share links', () => {
  it('opens Weibo’s share page with the essay’s address and title', () => {
    const url = new URL(getWeiboShareUrl(essayUrl, title));
    expect(url.origin + url.pathname).toBe('https://service.weibo.com/share/share.php');
    expect(url.searchParams.get('url')).toBe(essayUrl);
    expect(url.searchParams.get('title')).toBe(title);
  });

  it('opens X’s composer with the essay’s address and title', () => {
    const url = new URL(getXShareUrl(essayUrl, 'Who Welcomed Them, & Who Didn’t?'));
    expect(url.origin + url.pathname).toBe('https://x.com/intent/post');
    expect(url.searchParams.get('url')).toBe(essayUrl);
    expect(url.searchParams.get('text')).toBe('Who Welcomed Them, & Who Didn’t?');
  });
});

describe('the WeChat QR code', () => {
  const drawing = drawQrCode(essayUrl);
  const runs = [...drawing.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)].map((match) => ({
    x: Number(match[1]),
    y: Number(match[2]),
    width: Number(match[3]),
  }));

  it('is a square QR version with a four-module quiet zone', () => {
    const modules = drawing.size - 8;
    expect((modules - 17) % 4).toBe(0);
    expect(modules).toBeGreaterThanOrEqual(21);
    expect(runs.every((run) => run.x >= 4 && run.y >= 4 && run.x + run.width <= drawing.size - 4 && run.y < drawing.size - 4)).toBe(true);
  });

  it('draws the three finder patterns', () => {
    const modules = drawing.size - 8;
    const hasRun = (x: number, y: number, width: number) => runs.some((run) => run.x === x && run.y === y && run.width === width);
    expect(hasRun(4, 4, 7)).toBe(true);
    expect(hasRun(4 + modules - 7, 4, 7)).toBe(true);
    expect(hasRun(4, 4 + modules - 1, 7)).toBe(true);
  });

  it('changes with the address', () => {
    expect(drawQrCode(essayUrl.replace('/zh/', '/en/')).path).not.toBe(drawing.path);
  });
});

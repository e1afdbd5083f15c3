/** Weibo's share page, filled with the essay's address and title. */
export function getWeiboShareUrl(pageUrl: string, title: string): string {
  const url = new URL('https://service.weibo.com/share/share.php');
  url.searchParams.set('url', pageUrl);
  url.searchParams.set('title', title);
  return url.href;
}

/** X's post composer, filled with the essay's address and title. */
export function getXShareUrl(pageUrl: string, text: string): string {
  const url = new URL('https://x.com/intent/post');
  url.searchParams.set('url', pageUrl);
  url.searchParams.set('text', text);
  return url.href;
}

function readOrigin(value: string): string | undefined {
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/**
 * Whether another site's page made the request: the browser says so (`Sec-Fetch-Site:
 * cross-site` or `same-site`, a sibling subdomain being another site too), or the `Origin` or
 * `Referer` it sent names an origin that is not ours (`null` and unreadable values included). A
 * request that says none of this (an older browser, a script, an address typed by hand) is not.
 * `ownOrigins`: the request URL's origin and the public one (SITE_URL), which differ behind a proxy.
 */
export function isCrossSiteRequest(request: Request, ownOrigins: readonly string[]): boolean {
  const site = request.headers.get('sec-fetch-site')?.trim().toLowerCase();
  if (site === 'cross-site' || site === 'same-site') return true;
  const isOurs = (value: string) => {
    const origin = readOrigin(value);
    return origin !== undefined && ownOrigins.includes(origin);
  };
  const origin = request.headers.get('origin');
  if (origin !== null && !isOurs(origin)) return true;
  const referer = request.headers.get('referer');
  return referer !== null && referer !== '' && !isOurs(referer);
}

/** The origins a request may come from: its own URL's and, when it is set, the site's public address. */
export function getOwnOrigins(url: URL, site: string | undefined): string[] {
  const publicOrigin = site ? readOrigin(site) : undefined;
  return publicOrigin && publicOrigin !== url.origin ? [url.origin, publicOrigin] : [url.origin];
}

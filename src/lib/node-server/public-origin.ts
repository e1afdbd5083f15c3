/** A Host header we accept: a DNS name, IPv4 or bracketed IPv6 address, with an optional port. */
const hostPattern =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function isValidHost(value: string | undefined): value is string {
  return value !== undefined && value.length <= 260 && hostPattern.test(value) && URL.canParse(`http://${value}`);
}

/**
 * The origin Astro is shown for a request: SITE_URL when it is set (then nothing a client or
 * proxy sends changes it), else, for local use, plain http on the Host the request was sent to
 * (a browser on 127.0.0.1 and one on localhost both get their own origin back, so their posts
 * pass the same-origin checks).
 */
export function getPublicOrigin(siteUrl: URL | undefined, host: string | undefined, port: number): URL {
  if (siteUrl) return new URL(siteUrl.origin);
  return new URL(`http://${isValidHost(host) ? host : `localhost:${port}`}`);
}

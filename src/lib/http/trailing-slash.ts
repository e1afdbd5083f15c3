/**
 * The status of the redirect from an address without its trailing slash to the one with it (the
 * site's URLs all end in a slash). A GET may move for good (301, cached by browsers and kept by
 * search engines); any other method gets 308, which, unlike 301, makes clients send the same
 * method and body again, so `POST /api/comments` reaches `/api/comments/` instead of turning into
 * a GET. Astro applies this rule to on-demand routes itself (on the Worker); on Node our server
 * answers first and follows it (src/lib/node-server/static-files.ts).
 */
export function getTrailingSlashRedirectStatus(method: string | undefined): 301 | 308 {
  return method === 'GET' ? 301 : 308;
}

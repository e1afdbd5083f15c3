/** Methods every page and static file answers. */
export const readMethods = ['GET', 'HEAD'] as const;

/**
 * The on-demand endpoints that answer more (or other) than GET and HEAD, by path. Astro answers a
 * method a route does not export with an empty 404, so the server answers 405 with `Allow` from
 * this table before Astro sees the request. A unit test reads the `export const GET|POST…` lines
 * of src/pages/ and fails when this table and the routes disagree.
 */
export const endpointMethods: Readonly<Record<string, readonly string[]>> = {
  '/api/comments/': ['GET', 'HEAD', 'POST'],
  '/api/comments/token/': ['GET', 'HEAD'],
  '/api/email/unsubscribe/': ['GET', 'HEAD', 'POST'],
  '/api/moderation/actions/': ['POST'],
  '/api/moderation/sign-in/': ['POST'],
  '/api/moderation/sign-out/': ['POST'],
  '/api/signals/collects/': ['POST'],
  '/api/signals/views/': ['POST'],
  '/api/signals/view.gif': ['GET', 'HEAD'],
};

/** The methods a path answers. A path missing only its trailing slash counts as the route (Astro redirects it). */
export function getAllowedMethods(pathname: string): readonly string[] {
  return endpointMethods[pathname] ?? endpointMethods[`${pathname}/`] ?? readMethods;
}

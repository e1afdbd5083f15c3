import semver from 'semver';

/**
 * node:sqlite is built in without a flag from Node 22.13 on the 22 line and from 23.4 on the 23 line;
 * the launcher also runs TypeScript directly, which every release that Astro 7.4 accepts can do.
 */
const sqliteNodeRange = '^22.13.0 || >=23.4.0';

/** Why this Node cannot run the server (Astro's `engines.node` range and node:sqlite's), or undefined when it can. */
export function checkNodeVersion(version: string, astroRange: string | undefined): string | undefined {
  const ranges = [
    astroRange ? { range: astroRange, needs: `Astro needs Node ${astroRange}` } : undefined,
    { range: sqliteNodeRange, needs: `node:sqlite needs Node ${sqliteNodeRange}` },
  ];
  for (const requirement of ranges) {
    if (requirement && !semver.satisfies(version, requirement.range, { includePrerelease: true })) {
      return `Node ${version} is too old: ${requirement.needs} (npm scripts use the Node in node_modules/.bin/node)`;
    }
  }
  return undefined;
}

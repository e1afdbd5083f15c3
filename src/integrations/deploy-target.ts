import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

const deployTargets = ['node', 'cloudflare'] as const;
export type DeployTarget = (typeof deployTargets)[number];

/** Reads DEPLOY_TARGET: `node` (the default) or `cloudflare`. */
export function readDeployTarget(value: string | undefined): DeployTarget {
  const text = (value ?? '').trim() || 'node';
  if (!(deployTargets as readonly string[]).includes(text)) {
    throw new Error(`DEPLOY_TARGET must be one of ${deployTargets.join(', ')}; got "${value}"`);
  }
  return text as DeployTarget;
}

/**
 * The Cloudflare adapter, loaded only for a Cloudflare build: it is a dev dependency (it brings
 * wrangler and workerd, 150 MB) that a Node deployment's install (`npm install --omit=dev`) leaves out.
 */
export async function importCloudflareAdapter(): Promise<typeof import('@astrojs/cloudflare').default> {
  try {
    return (await import('@astrojs/cloudflare')).default;
  } catch (error) {
    if (!isMissingPackage(error, '@astrojs/cloudflare')) throw error;
    throw new Error(
      'DEPLOY_TARGET=cloudflare needs the Cloudflare toolchain (@astrojs/cloudflare, wrangler), which `npm install --omit=dev` leaves out: run `npm install`.',
      {
        cause: error,
      },
    );
  }
}

function isMissingPackage(error: unknown, name: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && error.message.includes(`'${name}'`);
}

const moduleId = 'virtual:duizhao/server-platform';

/** `virtual:duizhao/server-platform`: the database and background-work module of the target being built. */
export function serverPlatformModule(target: DeployTarget): Plugin {
  const file = fileURLToPath(new URL(`../lib/platform/${target}.ts`, import.meta.url));
  return {
    name: 'duizhao:server-platform',
    enforce: 'pre',
    resolveId(id) {
      return id === moduleId ? file : undefined;
    },
  };
}

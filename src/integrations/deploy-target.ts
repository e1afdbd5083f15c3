import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';

export const deployTargets = ['node', 'cloudflare'] as const;
export type DeployTarget = (typeof deployTargets)[number];

/** Reads DEPLOY_TARGET: `node` (the default) or `cloudflare`. */
export function readDeployTarget(value: string | undefined): DeployTarget {
  const text = (value ?? '').trim() || 'node';
  if (!(deployTargets as readonly string[]).includes(text)) {
    throw new Error(`DEPLOY_TARGET must be one of ${deployTargets.join(', ')}; got "${value}"`);
  }
  return text as DeployTarget;
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

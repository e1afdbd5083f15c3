import type { AstroIntegration } from 'astro';

/**
 * The author's preview. Vite moves to the next free port when the asked one (4321, the README's)
 * is taken, most often by `npm start` still running, and Astro's banner alone is easy to miss:
 * say it where it can't be.
 */
export function devPreview(): AstroIntegration {
  let askedPort: number | undefined;
  return {
    name: 'duizhao-dev-preview',
    hooks: {
      'astro:config:done': ({ config }) => {
        askedPort = config.server.port;
      },
      'astro:server:start': ({ address, logger }) => {
        if (askedPort === undefined || address.port === askedPort) return;
        logger.warn(`Port ${askedPort} is in use (is \`npm start\` still running?): this preview is on http://localhost:${address.port}/`);
      },
    },
  };
}

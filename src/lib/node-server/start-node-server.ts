import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import compression from 'compression';
import { readMigrationFiles } from '../db/cli-database.ts';
import { checkDatabaseHealth } from '../db/health.ts';
import { openServerDatabase, provideServerDatabase } from '../db/server-database.ts';
import { readServerConfig, type ServerConfig } from '../server-config.ts';
import { readBuildSite, resolveSiteUrl } from './build-site.ts';
import { createNodeServer, type SiteHandler } from './create-node-server.ts';
import { addDatesToConsole, createLogger, type Logger } from './log.ts';
import { createStaticFiles } from './static-files.ts';

/** Start-up stopped: the one line that says why. */
export class StartupError extends Error {}

const streams = {
  out: (line: string) => void process.stdout.write(`${line}\n`),
  err: (line: string) => void process.stderr.write(`${line}\n`),
};

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
}

/** The adapter's handler in `middleware` mode: renders on-demand routes and the 404 page. */
type AppHandler = (request: IncomingMessage, response: ServerResponse, next?: () => void) => Promise<void>;

/**
 * The site as one handler: the build's files first (static-files.ts), then the app. Answers the
 * app renders (the API, the console, comment pages, the 404 page) are compressed on the fly when
 * the client takes it and they are over 1 KB; files come precompressed from the build.
 * ASTRO_NODE_AUTOSTART=disabled keeps importing the entry from starting a server of its own.
 */
async function loadSiteHandler(distDir: string): Promise<SiteHandler> {
  const entry = join(distDir, 'server', 'entry.mjs');
  if (!existsSync(entry)) throw new StartupError(`there is no build at ${entry}: run \`npm run build\` first (npm start does both)`);
  process.env.ASTRO_NODE_AUTOSTART = 'disabled';
  const module = (await import(pathToFileURL(entry).href)) as { handler?: AppHandler; options?: { mode?: string } };
  if (typeof module.handler !== 'function' || module.options?.mode !== 'middleware') {
    throw new StartupError(
      `${entry} is not a build of this version for Node (the adapter in middleware mode): run \`npm run build\` again`,
    );
  }
  const renderApp = module.handler;
  const serveFile = createStaticFiles(distDir);
  const compress = compression({ threshold: 1024 });
  return (request, response) => {
    if (serveFile(request, response)) return undefined;
    return new Promise<void>((resolve, reject) => {
      compress(request as Parameters<typeof compress>[0], response as Parameters<typeof compress>[1], () => {
        renderApp(request, response).then(resolve, reject);
      });
    });
  };
}

function listen(server: import('node:http').Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * `npm run serve`: reads the settings, opens and migrates the database, loads the build, listens,
 * and on SIGTERM or SIGINT finishes what is in flight, flushes and closes the database and exits 0.
 * Any problem before listening is a StartupError with one line for the operator.
 */
export async function startNodeServer({ projectRoot, env }: { projectRoot: string; env: NodeJS.ProcessEnv }): Promise<void> {
  const logger: Logger = createLogger(streams);
  let config: ServerConfig;
  let distDir: string;
  try {
    // Every setting, the site's included: a value that is not valid stops start-up here, naming it.
    config = readServerConfig(env);
    distDir = resolve(projectRoot, config.distDirectory);
    config.siteUrl = resolveSiteUrl(config.siteUrl, readBuildSite(distDir));
  } catch (error) {
    throw new StartupError(oneLine(error));
  }
  const migrations = readMigrationFiles(projectRoot);
  let driver;
  try {
    driver = await openServerDatabase(config.databasePath, migrations);
  } catch (error) {
    throw new StartupError(oneLine(error));
  }
  provideServerDatabase(driver);
  addDatesToConsole(console, streams);

  let handler: SiteHandler;
  try {
    handler = await loadSiteHandler(distDir);
  } catch (error) {
    await driver.close();
    throw error instanceof StartupError ? error : new StartupError(`the build could not be loaded: ${oneLine(error)}`);
  }

  const openDriver = driver;
  const { server, shutdown } = createNodeServer({
    handler,
    config,
    logger,
    checkHealth: () => checkDatabaseHealth(openDriver, migrations),
  });
  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    await driver.close();
    throw new StartupError(`cannot listen on ${config.host}:${config.port}: ${oneLine(error)}`);
  }

  process.on('uncaughtException', (error) => logger.error(`uncaught exception (still serving): ${error.stack ?? error.message}`));
  process.on('unhandledRejection', (reason) =>
    logger.error(`unhandled rejection (still serving): ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );

  const address = server.address();
  const listening =
    typeof address === 'object' && address
      ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
      : String(address);
  logger.info(`listening on ${listening}; public address ${config.siteUrl?.origin ?? 'from each request (SITE_URL is not set)'}`);
  if (config.trustedProxyHops > 0 && !config.siteUrl) {
    logger.warn(
      'TRUST_PROXY is set but SITE_URL is not: forwarded host and protocol are ignored, so set SITE_URL to the address readers use (https://…)',
    );
  }

  let isStopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (isStopping) return;
    isStopping = true;
    logger.info(`${signal}: finishing requests in flight, then stopping`);
    const { isForced } = await shutdown();
    if (isForced) logger.warn(`requests still running after ${config.shutdownTimeoutMs / 1000} s were cut off`);
    // Work queued after the last answers (webhooks, view counts) gets its turn before the database closes.
    await new Promise((resolve) => setImmediate(resolve));
    await openDriver.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', (signal) => void stop(signal));
  process.on('SIGINT', (signal) => void stop(signal));
}

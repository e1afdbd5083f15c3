import { STATUS_CODES, createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { DatabaseHealth } from '../db/health.ts';
import type { ServerConfig } from '../server-config.ts';
import { readMethods } from './allowed-methods.ts';
import { replaceBareServerErrors } from './bare-error-guard.ts';
import { describeClientError, type ClientErrorLike } from './client-error.ts';
import { renderBilingualText, renderServerError, type ServerError, type ServerErrorAnswer } from './error-answer.ts';
import { rewriteForwardedHeaders } from './forwarded-headers.ts';
import { formatRequestLine, type Logger } from './log.ts';
import { getPublicOrigin } from './public-origin.ts';
import { sendRefusal } from './refusal.ts';
import { checkRequest, getRequestPath } from './request-check.ts';

/** The adapter's request handler (`handler` of dist/server/entry.mjs): static files, then Astro. */
export type SiteHandler = (request: IncomingMessage, response: ServerResponse) => unknown;

export interface NodeServerOptions {
  handler: SiteHandler;
  config: Pick<
    ServerConfig,
    'siteUrl' | 'port' | 'trustedProxyHops' | 'logRequests' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'shutdownTimeoutMs'
  >;
  logger: Logger;
  checkHealth(): Promise<DatabaseHealth>;
}

export interface NodeServer {
  server: Server;
  /** Stops accepting, lets requests in flight finish (up to the shutdown timeout), then closes what is left. */
  shutdown(): Promise<{ isForced: boolean }>;
}

const hstsHeader = 'max-age=31536000';

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function send(response: ServerResponse, answer: ServerErrorAnswer, method: string | undefined): void {
  response.writeHead(answer.status, answer.headers);
  response.end(method === 'HEAD' ? undefined : answer.body);
}

/** Writes a whole HTTP/1.1 answer on a socket that has no response object (parser errors, CONNECT). */
function sendOnSocket(socket: Socket, answer: ServerErrorAnswer, extraHeaders: Record<string, string>): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const headers = { ...answer.headers, ...extraHeaders, 'Content-Length': String(Buffer.byteLength(answer.body)), Connection: 'close' };
  const head = [
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status] ?? 'Error'}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
}

/**
 * Our own HTTP server around the Astro Node adapter's handler. The adapter runs its handler with
 * no guard, so one request it cannot turn into a `Request` (TRACE) ended the process; here every
 * request is checked first (method, target, Host), forwarded headers are rewritten
 * (forwarded-headers.ts), /healthz is answered, and anything thrown becomes a 500 in the
 * request's language while the server keeps serving.
 */
export function createNodeServer({ handler, config, logger, checkHealth }: NodeServerOptions): NodeServer {
  const isHttps = config.siteUrl?.protocol === 'https:';
  const extraHeaders: Record<string, string> = isHttps ? { 'Strict-Transport-Security': hstsHeader } : {};
  let isShuttingDown = false;

  async function answerHealth(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const health = await checkHealth();
    response.writeHead(health.status === 'ok' ? 200 : 503, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
    });
    response.end(request.method === 'HEAD' ? undefined : JSON.stringify(health));
  }

  async function listener(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const method = request.method ?? '';
    const path = getRequestPath(request.url);
    const renderFor = (error: ServerError) =>
      renderServerError(error, {
        pathname: path,
        method,
        acceptLanguage: request.headers['accept-language'],
        accept: request.headers.accept,
      });
    if (config.logRequests) {
      response.once('close', () =>
        logger.info(formatRequestLine({ method, path, status: response.statusCode, milliseconds: performance.now() - started })),
      );
    }
    for (const [name, value] of Object.entries(extraHeaders)) response.setHeader(name, value);
    if (isShuttingDown) response.setHeader('Connection', 'close');
    try {
      const problem = checkRequest({
        method,
        url: request.url,
        host: request.headers.host,
        contentLength: request.headers['content-length'],
      });
      if (problem) return await sendRefusal(request, response, renderFor(problem));
      if (path === '/healthz') return await answerHealth(request, response);
      const publicOrigin = getPublicOrigin(config.siteUrl, request.headers.host, config.port);
      rewriteForwardedHeaders(request.headers, {
        publicOrigin,
        socketAddress: request.socket.remoteAddress,
        trustedProxyHops: config.trustedProxyHops,
      });
      replaceBareServerErrors(response, () => renderFor({ status: 500, code: 'internal' }));
      await handler(request, response);
    } catch (error) {
      logger.error(`${method} ${path}: ${describeError(error)}`);
      if (response.headersSent) response.destroy();
      else send(response, renderFor({ status: 500, code: 'internal' }), method);
    }
  }

  const server = createServer(
    {
      headersTimeout: config.headersTimeoutMs,
      requestTimeout: config.requestTimeoutMs,
      // Timeouts are only enforced as often as connections are checked (30 s by default).
      connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(config.headersTimeoutMs / 4))),
      keepAliveTimeout: 5000,
      requireHostHeader: true,
    },
    (request, response) => void listener(request, response),
  );

  server.on('clientError', (error: ClientErrorLike & Error, socket: Socket) => {
    if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return socket.destroy();
    sendOnSocket(socket, renderBilingualText(describeClientError(error)), extraHeaders);
  });
  // CONNECT is routed around the request listener; we are no proxy.
  server.on('connect', (request: IncomingMessage, socket: Socket) => {
    const answer = renderServerError(
      { status: 405, code: 'method_not_allowed', allow: readMethods },
      { pathname: '/', method: 'CONNECT', acceptLanguage: request.headers['accept-language'] },
    );
    if (config.logRequests) logger.info(formatRequestLine({ method: 'CONNECT', path: '-', status: 405, milliseconds: 0 }));
    sendOnSocket(socket, answer, extraHeaders);
  });

  async function shutdown(): Promise<{ isForced: boolean }> {
    isShuttingDown = true;
    let isForced = false;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    // Keep-alive connections become idle as their last answer goes out; close them then.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      isForced = true;
      server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    await closed;
    clearInterval(sweep);
    clearTimeout(deadline);
    return { isForced };
  }

  return { server, shutdown };
}

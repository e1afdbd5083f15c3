import type { ServerResponse } from 'node:http';
import type { ServerErrorAnswer } from './error-answer.ts';

function declaresContentType(headers: unknown): boolean {
  if (Array.isArray(headers)) return headers.some((value, index) => index % 2 === 0 && String(value).toLowerCase() === 'content-type');
  if (headers && typeof headers === 'object') return Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
  return false;
}

/**
 * When Astro or the adapter fail a request they answer a bare 500 (no body, or the words
 * "Internal Server Error" as text/plain without a type); this swaps such an answer for ours (a
 * page or JSON in the request's language). A route's own 500 carries a Content-Type and passes.
 */
export function replaceBareServerErrors(response: ServerResponse, render: () => ServerErrorAnswer): void {
  const { writeHead, write, end } = response;
  let replacement: ServerErrorAnswer | undefined;
  const isBare = (status: number, headers?: unknown) =>
    status === 500 && !response.hasHeader('content-type') && !declaresContentType(headers);
  const replace = () => {
    replacement = render();
    for (const name of response.getHeaderNames()) if (name !== 'strict-transport-security') response.removeHeader(name);
    writeHead.call(response, replacement.status, replacement.headers);
  };
  response.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    if (replacement || !isBare(status, rest.at(-1)))
      return (writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest);
    replace();
    return this;
  } as ServerResponse['writeHead'];
  response.write = function (this: ServerResponse, ...args: unknown[]) {
    if (!replacement && !this.headersSent && isBare(this.statusCode)) replace();
    if (replacement) return true;
    return (write as (...values: unknown[]) => boolean).apply(this, args);
  } as ServerResponse['write'];
  response.end = function (this: ServerResponse, ...args: unknown[]) {
    if (!replacement && !this.headersSent && isBare(this.statusCode)) replace();
    if (replacement)
      return (end as (chunk?: string) => ServerResponse).call(this, this.req.method === 'HEAD' ? undefined : replacement.body);
    return (end as (...values: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
}

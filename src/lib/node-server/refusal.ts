import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerErrorAnswer } from './error-answer.ts';

/**
 * How much of a refused body the server still reads (and drops, never keeps). Closing a
 * connection while the client is still sending makes the close a reset, and a reset can discard
 * our answer before the client reads it: a proxy still sending (nginx buffers the whole body
 * first) then reports its own 502 instead of our 413. Routes linger over the same amount after
 * their own refusals (src/lib/platform/node.ts).
 */
export const refusedBodyReadBytes = 8 * 1024 * 1024;

function hasBody(request: IncomingMessage): boolean {
  return request.headers['content-length'] !== undefined || request.headers['transfer-encoding'] !== undefined;
}

/** Resolves once the body has ended; past `limitBytes`, or if the client goes away, the connection is destroyed. */
async function dropBody(request: IncomingMessage, limitBytes: number): Promise<void> {
  let droppedBytes = 0;
  try {
    for await (const chunk of request) {
      droppedBytes += (chunk as Buffer).length;
      // Leaving the loop destroys the request stream, and with it the connection.
      if (droppedBytes > limitBytes) return;
    }
  } catch {
    // The client went away; there is nothing left to drop.
  }
}

/**
 * Sends the answer to a request refused before any route saw it. The whole answer (with its
 * length) is written at once, so a client waiting for it has it; the response ends, and the
 * connection may close, only once the rest of the body has been read and dropped. A body declared
 * larger than `limitBytes` is never read: the connection closes after the answer.
 */
export async function sendRefusal(
  request: IncomingMessage,
  response: ServerResponse,
  answer: ServerErrorAnswer,
  limitBytes = refusedBodyReadBytes,
): Promise<void> {
  const body = request.method === 'HEAD' ? '' : answer.body;
  const headers = { ...answer.headers, 'Content-Length': String(Buffer.byteLength(answer.body)) };
  if (!hasBody(request)) {
    response.writeHead(answer.status, headers).end(body);
    return;
  }
  if (Number(request.headers['content-length'] ?? 0) > limitBytes) {
    response.writeHead(answer.status, { ...headers, Connection: 'close' }).end(body);
    return;
  }
  // Nothing read from this connection is trusted after a refusal; it closes once the body is dropped.
  response.writeHead(answer.status, { ...headers, Connection: 'close' }).write(body);
  await dropBody(request, limitBytes);
  if (!response.destroyed) response.end();
}

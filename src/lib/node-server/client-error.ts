import type { ServerError } from './error-answer.ts';
import { maxUrlLength } from './request-check.ts';

/** A request Node's HTTP parser refused or timed out, before any request object existed. */
export interface ClientErrorLike {
  code?: string;
  rawPacket?: Buffer;
}

/**
 * What to answer a client whose request Node's parser refused: an unknown method token 501, a
 * request line longer than we serve 414 (Node only sees that the headers overflowed), other
 * oversized headers 431, a client too slow with its headers or body 408, anything else 400.
 */
export function describeClientError(error: ClientErrorLike): ServerError {
  switch (error.code) {
    case 'HPE_INVALID_METHOD':
      return { status: 501, code: 'not_implemented' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, code: 'timeout' };
    case 'HPE_HEADER_OVERFLOW': {
      const firstLine =
        error.rawPacket
          ?.subarray(0, maxUrlLength + 64)
          .toString('latin1')
          .split('\r\n', 1)[0] ?? '';
      return firstLine.length > maxUrlLength ? { status: 414, code: 'uri_too_long' } : { status: 431, code: 'headers_too_large' };
    }
    default:
      return { status: 400, code: 'bad_request' };
  }
}

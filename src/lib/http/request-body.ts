/**
 * The one way an on-demand route reads a request body: bounded while it streams in (declared size
 * or not), then parsed only once it is known to be small, UTF-8, shallow and of a type the route
 * takes. Every refusal is a value, never a throw, so a route answers it with a clear 4xx.
 */

/** What one route accepts. */
export interface BodyLimits {
  /** Bytes of body, counted as they arrive. */
  maxBytes: number;
  /** Form fields (each repeat counts) or members of the top-level JSON object. */
  maxFields: number;
  /** Nesting of JSON arrays and objects; `defaultMaxDepth` if left out. */
  maxDepth?: number;
}

/** What happens to the rest of a refused body; each platform decides (`serverPlatform.bodyReading`). */
export interface ReadOptions {
  /** Bytes of a refused body still read and dropped (never kept) BEFORE the refusal is answered. */
  drainBytes?: number;
  /**
   * Bytes still read and dropped AFTER the refusal is answered, in the background, before the rest
   * is cancelled. Cancelling closes the connection; lingering first lets the answer reach a client
   * that is still sending, instead of a reset. Nothing is kept either way.
   */
  lingerBytes?: number;
}

/** No route takes JSON nested deeper than this; the scan stops before JSON.parse would recurse. */
const defaultMaxDepth = 20;

export type BodyKind = 'json' | 'form';

export type BodyErrorCode =
  | 'payloadTooLarge'
  | 'unsupportedMediaType'
  | 'invalidEncoding'
  | 'invalidJson'
  | 'invalidForm'
  | 'nestedTooDeep'
  | 'tooManyFields'
  | 'incompleteBody';

export interface BodyError {
  status: 400 | 413 | 415;
  code: BodyErrorCode;
}

export type RequestBody =
  | { ok: true; kind: 'json'; json: Record<string, unknown> }
  | { ok: true; kind: 'form'; form: FormData }
  | { ok: false; kind: BodyKind | undefined; error: BodyError };

const bodyErrorStatus: Record<BodyErrorCode, BodyError['status']> = {
  payloadTooLarge: 413,
  unsupportedMediaType: 415,
  invalidEncoding: 400,
  invalidJson: 400,
  invalidForm: 400,
  nestedTooDeep: 400,
  tooManyFields: 400,
  incompleteBody: 400,
};

function refuse(kind: BodyKind | undefined, code: BodyErrorCode): RequestBody {
  return { ok: false, kind, error: { status: bodyErrorStatus[code], code } };
}

/** The media type without parameters, lower case. */
function getMediaType(contentType: string): string {
  return contentType.split(';')[0]?.trim().toLowerCase() ?? '';
}

/** JSON (`application/json`, `…+json`) or a form (URL-encoded, multipart); anything else is not read. */
function getBodyKind(contentType: string): BodyKind | undefined {
  const mediaType = getMediaType(contentType);
  if (mediaType === 'application/json' || (mediaType.startsWith('application/') && mediaType.endsWith('+json'))) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data') return 'form';
  return undefined;
}

/** Requests whose body was refused before its end: the connection they came on cannot carry another request. */
const abandonedBodies = new WeakSet<Request>();

/**
 * Whether a route gave up on this request's body before its end (cancelled, or broken off). The
 * answer should then close the connection (`Connection: close`): the rest of the body is still on
 * the wire, and a client that sent its next request on the same connection would meet a reset.
 */
export function isBodyAbandoned(request: Request): boolean {
  return abandonedBodies.has(request);
}

/** Reads and drops up to `maxBytes` of what is left: `ended` if the body ended, `failed` if it broke off. Never throws. */
async function dropBytes(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<'ended' | 'failed' | 'left'> {
  let dropped = 0;
  try {
    while (dropped < maxBytes) {
      const { done, value } = await reader.read();
      if (done) return 'ended';
      dropped += value.byteLength;
    }
  } catch {
    // The sender went away or the server's own limit cut the stream: there is nothing left to drop.
    return 'failed';
  }
  return 'left';
}

/** Drops up to `maxBytes` more, then cancels whatever is left. */
async function dropThenCancel(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number): Promise<void> {
  if ((await dropBytes(reader, maxBytes)) === 'left') await reader.cancel().catch(() => undefined);
}

/**
 * What is left of a refused body: up to `drainBytes` read and dropped now, then up to `lingerBytes`
 * in the background once the answer is on its way, then cancelled.
 */
async function discardRest(
  request: Request,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  options: ReadOptions,
  declaredBytes = 0,
): Promise<void> {
  const drained = await dropBytes(reader, options.drainBytes ?? 0);
  if (drained === 'ended') return;
  // A declared size past everything that will be dropped: the connection cannot be used again.
  if (declaredBytes > (options.drainBytes ?? 0) + (options.lingerBytes ?? 0)) abandonedBodies.add(request);
  if (drained === 'left' && options.lingerBytes) {
    // Not marked abandoned: the connection must stay open while the answer goes out, and a body
    // that ends within the bound leaves it fit for the next request.
    void dropThenCancel(reader, options.lingerBytes);
    return;
  }
  abandonedBodies.add(request);
  if (drained === 'left') await reader.cancel().catch(() => undefined);
}

type ReadBytes = { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; code: 'payloadTooLarge' | 'incompleteBody' };

/** The whole body if it stays within `maxBytes`; past that, nothing more is kept. */
async function readBytes(request: Request, maxBytes: number, options: ReadOptions): Promise<ReadBytes> {
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (!request.body) return declared > maxBytes ? { ok: false, code: 'payloadTooLarge' } : { ok: true, bytes: new Uint8Array() };
  const reader = request.body.getReader();
  if (declared > maxBytes) {
    await discardRest(request, reader, options, declared);
    return { ok: false, code: 'payloadTooLarge' };
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await discardRest(request, reader, { ...options, drainBytes: Math.max(0, (options.drainBytes ?? 0) - size) });
        return { ok: false, code: 'payloadTooLarge' };
      }
      chunks.push(value);
    }
  } catch {
    abandonedBodies.add(request);
    return { ok: false, code: 'incompleteBody' };
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

export type JsonShape = { ok: true } | { ok: false; code: 'nestedTooDeep' | 'tooManyFields' };

/**
 * Checks nesting depth and the top-level object's member count without parsing, in one pass with
 * no recursion: JSON.parse of 100 000 `[` can throw RangeError or take the stack, so it only ever
 * sees text that passed. Strings are skipped exactly as JSON reads them (a `\` escapes one
 * character); for text that is not JSON anyway the counts may be off, and JSON.parse refuses it.
 * Hand-written: no npm package checks depth without building the value.
 */
export function checkJsonShape(text: string, maxDepth: number, maxFields: number): JsonShape {
  let depth = 0;
  let isInString = false;
  let isTopLevelObject = false;
  let members = 0;
  for (let index = 0; index < text.length; index += 1) {
    const character = text.charCodeAt(index);
    if (isInString) {
      if (character === 0x5c) index += 1;
      else if (character === 0x22) isInString = false;
      continue;
    }
    if (character === 0x22) isInString = true;
    else if (character === 0x7b || character === 0x5b) {
      if (depth === 0 && character === 0x7b) isTopLevelObject = true;
      depth += 1;
      if (depth > maxDepth) return { ok: false, code: 'nestedTooDeep' };
    } else if (character === 0x7d || character === 0x5d) depth -= 1;
    else if (character === 0x3a && depth === 1 && isTopLevelObject) {
      members += 1;
      if (members > maxFields) return { ok: false, code: 'tooManyFields' };
    }
  }
  return { ok: true };
}

/** A JSON body that must be an object (every route's requests are). */
export function parseJsonObject(
  text: string,
  limits: BodyLimits,
): { ok: true; json: Record<string, unknown> } | { ok: false; code: BodyErrorCode } {
  const shape = checkJsonShape(text, limits.maxDepth ?? defaultMaxDepth, limits.maxFields);
  if (!shape.ok) return shape;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: 'invalidJson' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, code: 'invalidJson' };
  return { ok: true, json: value as Record<string, unknown> };
}

const encoder = new TextEncoder();

function getHexValue(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/**
 * One name or value of a URL-encoded form, as the WHATWG URL standard decodes it (`+` is a space,
 * `%XX` a byte, a lone `%` stays), except that bytes which are not UTF-8 are refused instead of
 * becoming U+FFFD: URLSearchParams cannot be told to do that.
 */
function decodeFormComponent(component: string): string | undefined {
  const text = component.replaceAll('+', ' ');
  if (!text.includes('%')) return text;
  const bytes = encoder.encode(text);
  const decoded = new Uint8Array(bytes.length);
  let length = 0;
  for (let index = 0; index < bytes.length; index += 1) {
    const high = bytes[index] === 0x25 && index + 2 < bytes.length ? getHexValue(bytes[index + 1]!) : -1;
    const low = high >= 0 ? getHexValue(bytes[index + 2]!) : -1;
    if (low >= 0) {
      decoded[length] = high * 16 + low;
      index += 2;
    } else decoded[length] = bytes[index]!;
    length += 1;
  }
  return decodeUtf8(decoded.subarray(0, length));
}

/** A URL-encoded form, counted before anything is built from it. */
export function parseUrlEncodedForm(text: string, limits: BodyLimits): { ok: true; form: FormData } | { ok: false; code: BodyErrorCode } {
  const pairs = text.split('&').filter((pair) => pair !== '');
  if (pairs.length > limits.maxFields) return { ok: false, code: 'tooManyFields' };
  const form = new FormData();
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    const name = decodeFormComponent(equals === -1 ? pair : pair.slice(0, equals));
    const value = decodeFormComponent(equals === -1 ? '' : pair.slice(equals + 1));
    if (name === undefined || value === undefined) return { ok: false, code: 'invalidEncoding' };
    form.append(name, value);
  }
  return { ok: true, form };
}

/** The `boundary` parameter of a multipart Content-Type. */
function getBoundary(contentType: string): string | undefined {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

/** How many times `needle` occurs in `text`, stopping once past `limit`. */
function countOccurrences(text: string, needle: string, limit: number): number {
  let count = 0;
  for (let index = text.indexOf(needle); index !== -1 && count <= limit; index = text.indexOf(needle, index + needle.length)) count += 1;
  return count;
}

/** A multipart form: its parts counted by their delimiters first, then parsed by the platform. */
async function parseMultipartForm(
  bytes: Uint8Array<ArrayBuffer>,
  text: string,
  contentType: string,
  limits: BodyLimits,
): Promise<{ ok: true; form: FormData } | { ok: false; code: BodyErrorCode }> {
  const boundary = getBoundary(contentType);
  if (!boundary) return { ok: false, code: 'invalidForm' };
  // Every part opens with the delimiter and one more closes the body.
  const parts = countOccurrences(text, `--${boundary}`, limits.maxFields + 1) - 1;
  if (parts > limits.maxFields) return { ok: false, code: 'tooManyFields' };
  try {
    return { ok: true, form: await new Response(bytes, { headers: { 'content-type': contentType } }).formData() };
  } catch {
    return { ok: false, code: 'invalidForm' };
  }
}

/**
 * Reads a route's request body first of all, before any other check looks at the request.
 * Over `maxBytes` (declared or counted) it stops at once with 413 and keeps nothing; other types
 * than JSON and forms are 415; bytes that are not UTF-8, JSON nested deeper than `maxDepth`, more
 * fields than `maxFields`, and malformed JSON or forms are 400. No route takes files, so the
 * whole body, multipart included, must be UTF-8 text.
 */
export async function readRequestBody(request: Request, limits: BodyLimits, options: ReadOptions = {}): Promise<RequestBody> {
  const contentType = request.headers.get('content-type') ?? '';
  const kind = getBodyKind(contentType);
  if (!kind && contentType.trim() === '') {
    // A POST without a body (a script's sign-out, with its token in a header) names no type: an empty form.
    const read = await readBytes(request, limits.maxBytes, options);
    if (!read.ok) return refuse(kind, read.code);
    return read.bytes.byteLength === 0 ? { ok: true, kind: 'form', form: new FormData() } : refuse(kind, 'unsupportedMediaType');
  }
  if (!kind) {
    const reader = request.body?.getReader();
    if (reader) await discardRest(request, reader, options);
    return refuse(kind, 'unsupportedMediaType');
  }
  const read = await readBytes(request, limits.maxBytes, options);
  if (!read.ok) return refuse(kind, read.code);
  const text = decodeUtf8(read.bytes);
  if (text === undefined) return refuse(kind, 'invalidEncoding');
  if (kind === 'json') {
    const parsed = parseJsonObject(text, limits);
    return parsed.ok ? { ok: true, kind, json: parsed.json } : refuse(kind, parsed.code);
  }
  const parsed =
    getMediaType(contentType) === 'multipart/form-data'
      ? await parseMultipartForm(read.bytes, text, contentType, limits)
      : parseUrlEncodedForm(text, limits);
  return parsed.ok ? { ok: true, kind, form: parsed.form } : refuse(kind, parsed.code);
}

import { jsonResponse } from '../comments/http.ts';

/** Requests to the console are small; anything larger is refused unread. */
const maxRequestBytes = 64 * 1024;

export type ModerationRequest = { ok: true; isJson: boolean; get(field: string): string | undefined; getAll(field: string): string[] } | { ok: false; isJson: boolean };

/** Reads a form post or a JSON body into one shape: text fields, repeated fields as lists. */
export async function readModerationRequest(request: Request): Promise<ModerationRequest> {
  const contentType = (request.headers.get('content-type') ?? '').toLowerCase();
  const isJson = contentType.startsWith('application/json');
  if (Number(request.headers.get('content-length') ?? 0) > maxRequestBytes) return { ok: false, isJson };
  try {
    if (isJson) {
      const value: unknown = await request.json();
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, isJson };
      const record = value as Record<string, unknown>;
      const list = (field: string) => {
        const item = record[field];
        const items = Array.isArray(item) ? item : [item];
        return items.filter((entry): entry is string => typeof entry === 'string');
      };
      return { ok: true, isJson, get: (field) => list(field)[0], getAll: list };
    }
    if (!contentType.startsWith('application/x-www-form-urlencoded') && !contentType.startsWith('multipart/form-data')) return { ok: false, isJson };
    const form = await request.formData();
    const list = (field: string) => form.getAll(field).filter((entry): entry is string => typeof entry === 'string');
    return { ok: true, isJson, get: (field) => list(field)[0], getAll: list };
  } catch {
    return { ok: false, isJson };
  }
}

/** A JSON refusal from the console's API. */
export function moderationError(status: number, code: string, headers: Record<string, string> = {}): Response {
  return jsonResponse(status, { error: { code } }, headers);
}

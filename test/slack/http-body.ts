/**
 * Request body decoding the way Slack accepts it: form-urlencoded (objects as JSON strings inside fields),
 * JSON, multipart (uploads), or query string.
 */
import type { IncomingMessage } from 'node:http';
import type { JsonObject } from './recorder.js';

/** Fields that carry JSON objects/arrays as strings in form bodies. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'view',
  'files',
  'metadata',
  'file_uploads',
  'unfurls',
  'user_auth_blocks',
  'options',
  'option_groups',
]);

export function readRaw(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJsonFields(body: JsonObject): JsonObject {
  for (const key of Object.keys(body)) {
    const v = body[key];
    if (JSON_FIELDS.has(key) && typeof v === 'string' && /^\s*[[{]/.test(v)) {
      try {
        body[key] = JSON.parse(v);
      } catch {
        // leave the string; validation will report it
      }
    }
  }
  return body;
}

export interface ParsedBody {
  body: JsonObject;
  kind: 'form' | 'json' | 'multipart' | 'query' | 'empty' | 'raw';
  /** Binary parts of a multipart body, by field name. */
  files: Map<string, Buffer>;
}

export async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams,
): Promise<ParsedBody> {
  const ct = (contentType ?? '').toLowerCase();
  const files = new Map<string, Buffer>();
  const fromQuery: JsonObject = Object.fromEntries(query.entries());
  if (raw.length === 0) {
    return { body: parseJsonFields(fromQuery), kind: query.size > 0 ? 'query' : 'empty', files };
  }
  if (ct.startsWith('application/json')) {
    const parsed: unknown = JSON.parse(raw.toString('utf8'));
    const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as JsonObject) : {};
    return { body: parseJsonFields({ ...fromQuery, ...body }), kind: 'json', files };
  }
  if (ct.startsWith('application/x-www-form-urlencoded')) {
    const params = new URLSearchParams(raw.toString('utf8'));
    return { body: parseJsonFields({ ...fromQuery, ...Object.fromEntries(params.entries()) }), kind: 'form', files };
  }
  if (ct.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType ?? '' } }).formData();
    const body: JsonObject = { ...fromQuery };
    for (const [key, value] of form.entries()) {
      if (typeof value === 'string') body[key] = value;
      else files.set(key, Buffer.from(await value.arrayBuffer()));
    }
    return { body: parseJsonFields(body), kind: 'multipart', files };
  }
  return { body: fromQuery, kind: 'raw', files };
}

export function bearerToken(req: IncomingMessage, body: JsonObject): string | undefined {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return typeof body.token === 'string' ? body.token : undefined;
}

import { errorBody } from '../bodies.js';
import { type JsonReply, json, type Reply } from './reply.js';

/** Whether a Content-Type header names JSON (`application/json`, any parameters, any case). */
function isJson(type: string | undefined): boolean {
  if (type === undefined) return false;
  const semi = type.indexOf(';');
  return (semi === -1 ? type : type.slice(0, semi)).trim().toLowerCase() === 'application/json';
}

/** HubSpot's 413 for a body over the cap (`bytes` unknown when Fastify's own cap stopped reading). */
export function tooLarge(bytes: number | undefined, maxBodyBytes: number): JsonReply {
  const message =
    bytes === undefined
      ? `Request body exceeds the limit of ${maxBodyBytes} bytes.`
      : `Request body of ${bytes} bytes exceeds the limit of ${maxBodyBytes} bytes.`;
  return json(413, errorBody('VALIDATION_ERROR', message, { context: { maxBytes: [String(maxBodyBytes)] } }));
}

/** The spec declares only `application/json` bodies; HubSpot's answer to others is unknown, so 415. */
function unsupportedType(type: string | undefined): Reply {
  if (type === undefined) {
    const message = 'The request body has no Content-Type; send it as application/json.';
    return json(415, errorBody('UNSUPPORTED_MEDIA_TYPE', message));
  }
  const message = `Content-Type ${type} is not supported; send the body as application/json.`;
  return json(415, errorBody('UNSUPPORTED_MEDIA_TYPE', message, { context: { contentType: [type] } }));
}

/** Parses a raw JSON body (an empty one is `undefined`), or says why not: 415 or 400. */
export function parseBody(
  raw: Buffer | undefined,
  type: string | undefined,
): { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly reply: Reply } {
  if (raw === undefined || raw.byteLength === 0) return { ok: true, body: undefined };
  if (!isJson(type)) return { ok: false, reply: unsupportedType(type) };
  try {
    return { ok: true, body: JSON.parse(raw.toString('utf8')) };
  } catch (error) {
    const message = `Invalid input JSON: ${(error as Error).message}`;
    return { ok: false, reply: json(400, errorBody('VALIDATION_ERROR', message)) };
  }
}

// Reads a request body with a size limit and turns it into the gateway's JSON input.
import type { IncomingMessage } from 'node:http';
import { ApiError, GrpcCode, invalidArgument } from './api-error.js';
import { protojsonStringError } from './json-strings.js';
import { camelCaseKeys, isJsonObject, type JsonObject } from './protojson.js';

/** A request body: its bytes and their UTF-8 text. */
export interface RequestBody {
  bytes: Buffer;
  text: string;
}

/**
 * The raw body, refusing more than `maxBytes` with 413 (after draining it, so the client reads the
 * answer). Read with stream events: the async iterator cost a v2 create several microseconds.
 */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<RequestBody> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.once('error', reject);
    // A client gone before the end: no 'end' will come (after 'end' this rejection is ignored).
    req.once('close', () => reject(new Error('request aborted before its body was read')));
    req.once('end', () => {
      if (size > maxBytes) {
        reject(new ApiError(GrpcCode.ResourceExhausted, `request body larger than ${maxBytes} bytes`, undefined, undefined, {}, 413));
        return;
      }
      const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      resolve({ bytes, text: bytes.toString('utf8') });
    });
  });
}

/**
 * Parses a JSON request message as the gateway's protojson does: an empty body is an empty
 * message; a string protobuf refuses (lone surrogate escape, invalid UTF-8) is a 400.
 */
export function parseJsonMessage(body: RequestBody): JsonObject {
  const { text } = body;
  if (text.trim() === '') return {};
  const stringError = protojsonStringError(body.bytes, text);
  if (stringError) throw invalidArgument(stringError);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(`proto: syntax error: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw invalidArgument('proto: syntax error: the request body must be a JSON object');
  return camelCaseKeys(parsed) as JsonObject;
}

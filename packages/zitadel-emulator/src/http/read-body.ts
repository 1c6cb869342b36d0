// Reads a request body with a size limit and turns it into the gateway's JSON input.
import type { IncomingMessage } from 'node:http';
import { ApiError, GrpcCode, invalidArgument } from './api-error.js';
import { camelCaseKeys, isJsonObject, type JsonObject } from './protojson.js';

/** The raw body, refusing more than `maxBytes` with 413 (after draining it, so the client reads the answer). */
export async function readBodyText(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size <= maxBytes) chunks.push(chunk as Buffer);
  }
  if (size > maxBytes) {
    throw new ApiError(GrpcCode.ResourceExhausted, `request body larger than ${maxBytes} bytes`, undefined, undefined, {}, 413);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON request message; an empty body is an empty message, as the gateway treats it. */
export function parseJsonMessage(text: string): JsonObject {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalidArgument(`proto: syntax error: ${(error as Error).message}`);
  }
  if (!isJsonObject(parsed)) throw invalidArgument('proto: syntax error: the request body must be a JSON object');
  return camelCaseKeys(parsed) as JsonObject;
}

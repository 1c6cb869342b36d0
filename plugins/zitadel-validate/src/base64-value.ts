// Metadata values travel as protobuf `bytes`, i.e. base64 in JSON. The gateway (protojson)
// accepts the standard or URL-safe alphabet, padded or not; anything else fails the whole request.

const standard = /^[A-Za-z0-9+/]*={0,2}$/;
const urlSafe = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decoded byte length of a base64 `bytes` value, or undefined when protojson could not decode it. */
export function decodedBase64Length(value: string): number | undefined {
  if (!standard.test(value) && !urlSafe.test(value)) return undefined;
  const padding = value.endsWith('==') ? 2 : value.endsWith('=') ? 1 : 0;
  if (padding > 0 && value.length % 4 !== 0) return undefined;
  const data = value.length - padding;
  if (data % 4 === 1) return undefined;
  return Math.floor((data * 3) / 4);
}

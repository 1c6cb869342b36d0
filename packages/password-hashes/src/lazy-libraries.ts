// bcryptjs and hash-wasm load on first use. Together they are ~330 KB of JavaScript (most of it
// hash-wasm's WebAssembly as base64 text) that every start would otherwise parse, while a run that
// only parses and checks hashes (the hash-validator without test accounts) never calls them.

type Bcrypt = typeof import('bcryptjs').default;
type HashWasm = typeof import('hash-wasm');

let bcrypt: Promise<Bcrypt> | undefined;
let hashWasm: Promise<HashWasm> | undefined;

/** bcryptjs, loaded once. */
export function loadBcrypt(): Promise<Bcrypt> {
  bcrypt ??= import('bcryptjs').then((module) => module.default);
  return bcrypt;
}

/** hash-wasm (argon2), loaded once. */
export function loadHashWasm(): Promise<HashWasm> {
  hashWasm ??= import('hash-wasm');
  return hashWasm;
}

// A loopback proxy in front of the emulator that can swallow one answer: the request reaches the
// emulator (the write lands) but its answer never reaches the client. Killing the client at that
// moment is the worst case for idempotency, reached deterministically rather than by timing.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which request to hold: its method, path and body. */
export type HoldMatcher = (request: { method: string; path: string; body: string }) => boolean;

export interface HoldingProxy {
  url: string;
  /** Holds the answer of the next request that matches; resolves with its path once the upstream answered it. */
  holdNext(matcher: HoldMatcher): Promise<string>;
  close(): Promise<void>;
}

const forwardedRequestHeaders = ['authorization', 'content-type', 'x-zitadel-orgid', 'accept'];
const forwardedResponseHeaders = ['content-type', 'retry-after', 'grpc-status', 'grpc-message'];

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Starts a proxy on 127.0.0.1 forwarding to `upstream`. */
export async function startHoldingProxy(upstream: string): Promise<HoldingProxy> {
  let pending: { matcher: HoldMatcher; resolve: (path: string) => void } | undefined;
  const held: ServerResponse[] = [];
  const server: Server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      const headers: Record<string, string> = {};
      for (const name of forwardedRequestHeaders) {
        const value = req.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const method = req.method ?? 'GET';
      const path = req.url ?? '/';
      const answer = await fetch(`${upstream}${path}`, { method, headers, body: body.length > 0 ? body : undefined });
      const answerBody = Buffer.from(await answer.arrayBuffer());
      if (pending?.matcher({ method, path, body: body.toString('utf8') })) {
        const { resolve } = pending;
        pending = undefined;
        held.push(res);
        resolve(path);
        return;
      }
      const outHeaders: Record<string, string> = {};
      for (const name of forwardedResponseHeaders) {
        const value = answer.headers.get(name);
        if (value !== null) outHeaders[name] = value;
      }
      res.writeHead(answer.status, outHeaders).end(answerBody);
    } catch (error) {
      res.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    holdNext(matcher) {
      return new Promise((resolve) => {
        pending = { matcher, resolve };
      });
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

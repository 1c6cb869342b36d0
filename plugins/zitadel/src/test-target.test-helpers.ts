// A tiny loopback HTTP server standing in for a target that misbehaves in ways ZITADEL itself does
// not (a proxy answering `200 {}`, a stub), or that answers with ZITADEL's exact error bodies for
// cases the emulator cannot produce. Tests only; 127.0.0.1 only.
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestTarget {
  url: string;
  /** Every request seen: method, path and parsed JSON body. */
  requests: { method: string; path: string; body: unknown }[];
  close(): Promise<void>;
}

export type Reply = { status: number; body?: unknown };

/** Starts a server answering each request with `reply(method, path, body)`. */
export async function startTestTarget(reply: (method: string, path: string, body: unknown) => Reply): Promise<TestTarget> {
  const requests: TestTarget['requests'] = [];
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // kept as text
    }
    const path = new URL(req.url ?? '/', 'http://target').pathname;
    requests.push({ method: req.method ?? '', path, body });
    const answer = reply(req.method ?? '', path, body);
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

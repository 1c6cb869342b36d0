// Credentials travel with every call, so plain HTTP is only accepted where it cannot leave the
// machine (loopback) or when the pipeline says so explicitly.
import { ConfigError } from '@idflow/engine';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** True for `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopbackHost(hostname: string): boolean {
  return loopbackHosts.has(hostname) || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** Parses the target URL and refuses `http:` to a non-loopback host unless `allowInsecure`. */
export function requireSecureUrl(raw: string, allowInsecure: boolean, configPath = 'sink.with.url'): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError([{ path: configPath, message: `not a URL: "${raw}"` }]);
  }
  if (url.protocol === 'https:') return url;
  if (url.protocol !== 'http:') {
    throw new ConfigError([{ path: configPath, message: `unsupported scheme "${url.protocol}" (use https://)` }]);
  }
  if (isLoopbackHost(url.hostname) || allowInsecure) return url;
  throw new ConfigError([
    {
      path: configPath,
      message: `HTTPS is required for ${url.host}: credentials would travel in clear text (set allowInsecure: true to override)`,
    },
  ]);
}

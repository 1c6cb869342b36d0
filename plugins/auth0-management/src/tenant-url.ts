// The tenant's base URL from `domain`. The client secret, the bearer token and the users travel
// over it, so plain HTTP is refused unless the host is this machine (the stand-in).

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `127.0.0.0/8` and `::1`. */
export function isLoopback(url: URL): boolean {
  return loopbackHosts.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/** Refuses anything but https://, or http:// to a loopback host; `what` names the URL in the message. */
export function requireSafeUrl(url: URL, what: string): URL {
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && isLoopback(url)) return url;
  if (url.protocol === 'http:') throw new Error(`${what} must use https:// (plain http is accepted for a loopback address only): ${url.origin}`);
  throw new Error(`${what} has an unsupported scheme "${url.protocol}" (use https://)`);
}

/** `acme.eu.auth0.com` → https://acme.eu.auth0.com; a URL is kept (origin only) if it is safe. */
export function tenantUrl(domain: string): URL {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(domain) ? domain : `https://${domain}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`not a domain or URL: "${domain}"`);
  }
  return new URL(requireSafeUrl(url, 'the Auth0 tenant').origin);
}

// `idflow emulator --auth0-*` flags → options, and the banner a user copies the environment from.
import { describe, expect, it } from 'vitest';
import { Auth0StandInFlagError, auth0StandInOptionsFromFlags, formatAuth0Banner } from './cli-flags.js';
import { startAuth0StandIn } from './server.js';

describe('auth0 stand-in flags', () => {
  it('maps the flags and names a bad one', () => {
    expect(auth0StandInOptionsFromFlags({ auth0Port: 4000, auth0Users: 50, auth0Seed: 3, auth0Dir: 'tenant', host: '127.0.0.1' })).toEqual({
      port: 4000,
      users: 50,
      seed: 3,
      dir: 'tenant',
      host: '127.0.0.1',
    });
    expect(() => auth0StandInOptionsFromFlags({ auth0Port: 70_000 })).toThrow(new Auth0StandInFlagError('--auth0-port: expected 0–65535 (got 70000)'));
    expect(() => auth0StandInOptionsFromFlags({ auth0Users: 0 })).toThrow(new Auth0StandInFlagError('--auth0-users: expected a positive integer (got 0)'));
  });

  it('prints the variables a pipeline needs and the connection ids', async () => {
    const standIn = await startAuth0StandIn({ users: 30 });
    try {
      const banner = formatAuth0Banner(standIn);
      expect(banner).toContain(`AUTH0_DOMAIN=${standIn.url}\n`);
      expect(banner).toContain(`AUTH0_CLIENT_ID=${standIn.clientId}\n`);
      expect(banner).toContain(`AUTH0_CLIENT_SECRET=${standIn.clientSecret}\n`);
      expect(banner).toContain(`AUTH0_PASSWORDS=${standIn.passwordsPath} `);
      for (const connection of standIn.connections) expect(banner).toContain(`${connection.name} ${connection.id}`);
    } finally {
      await standIn.close();
    }
  });
});

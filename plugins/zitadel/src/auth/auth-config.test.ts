import { ConfigError } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, requireSecureUrl } from '../http/require-secure-url.js';
import { defaultScope, resolveAuth } from './auth-config.js';

describe('resolveAuth', () => {
  it('picks the first non-empty credential so one pipeline serves every setup', () => {
    expect(resolveAuth({ pat: 'p', keyFile: 'k.json' })).toEqual({ kind: 'pat', pat: 'p' });
    expect(resolveAuth({ pat: '', clientCredentials: { clientId: 'id', clientSecret: 's' }, keyFile: '' })).toEqual({
      kind: 'client-credentials',
      clientId: 'id',
      clientSecret: 's',
      scope: defaultScope,
    });
    expect(resolveAuth({ pat: ' ', clientCredentials: { clientId: '', clientSecret: '' }, keyFile: 'key.json' })).toMatchObject({ kind: 'key-file', keyFile: 'key.json' });
  });
  it('refuses no credentials and half a client pair, without echoing the secret', () => {
    expect(() => resolveAuth({ pat: '' })).toThrow(ConfigError);
    try {
      resolveAuth({ clientCredentials: { clientId: '', clientSecret: 'very-secret-value' } });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toMatch(/needs both clientId and clientSecret/);
      expect((error as Error).message).not.toContain('very-secret-value');
    }
  });
});

describe('requireSecureUrl', () => {
  it('accepts https anywhere and http on loopback only', () => {
    expect(requireSecureUrl('https://idp.example.com', false).host).toBe('idp.example.com');
    expect(requireSecureUrl('http://127.0.0.1:8080', false).port).toBe('8080');
    expect(requireSecureUrl('http://localhost:8080', false).hostname).toBe('localhost');
    expect(requireSecureUrl('http://[::1]:8080', false).hostname).toBe('[::1]');
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('10.0.0.1')).toBe(false);
  });
  it('refuses http to another host unless allowInsecure', () => {
    expect(() => requireSecureUrl('http://idp.example.com', false)).toThrow(/HTTPS is required for idp.example.com/);
    expect(requireSecureUrl('http://idp.example.com', true).protocol).toBe('http:');
    expect(() => requireSecureUrl('ftp://idp.example.com', true)).toThrow(/unsupported scheme/);
    expect(() => requireSecureUrl('not a url', false)).toThrow(/not a URL/);
  });
});

describe('checkTargetConfig (idflow validate)', () => {
  it('reports insecure URLs, missing credentials and bad durations, located under with:', async () => {
    const { checkTargetConfig } = await import('../http/check-target-config.js');
    expect(checkTargetConfig({ url: 'https://z.example.com', auth: { pat: 'p' } }, { timeout: '5m0s' })).toEqual([]);
    expect(checkTargetConfig({ url: 'http://z.example.com', auth: { pat: '' }, retry: { maxElapsed: 'soon' } }, { timeout: '5 minutes' })).toEqual([
      { path: ['url'], message: expect.stringMatching(/HTTPS is required/) },
      { path: ['auth'], message: expect.stringMatching(/no credentials/) },
      { path: ['timeout'], message: expect.stringMatching(/invalid duration/) },
      { path: ['retry', 'maxElapsed'], message: expect.stringMatching(/invalid duration/) },
    ]);
  });
});

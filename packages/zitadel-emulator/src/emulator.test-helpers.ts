// Shared by the emulator's tests: start/stop around a test, call the API over loopback, build users.
import type { ImportDataRequest, ImportHumanUser } from '@idflow/zitadel-model';
import { afterEach } from 'vitest';
import type { EmulatorOptions } from './options.js';
import { type RunningEmulator, startEmulator } from './server.js';

const running: RunningEmulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.close()));
});

/** Starts an emulator on a random loopback port, closed after the current test. */
export async function useEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, host: '127.0.0.1', ...options });
  running.push(emulator);
  return emulator;
}

export interface ApiAnswer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers.
  body: any;
  headers: Headers;
}

/** Calls the emulator with a bearer token (the PAT unless given; `null` sends none). */
export async function call(
  emulator: RunningEmulator,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
  token: string | null = emulator.pat,
): Promise<ApiAnswer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

/** Creates `userId` through AddHumanUser (user name = id, verified `<id>@example.com`), with `extra` fields; expects 200. */
export async function addV2User(emulator: RunningEmulator, userId: string, extra: Record<string, unknown> = {}): Promise<void> {
  const created = await call(emulator, 'POST', '/v2/users/human', {
    userId,
    username: userId,
    organization: { orgId: emulator.orgId },
    profile: { givenName: 'Ada', familyName: 'Lovelace' },
    email: { email: `${userId}@example.com`, isVerified: true },
    ...extra,
  });
  if (created.status !== 200) throw new Error(`AddHumanUser ${userId}: ${created.status} ${JSON.stringify(created.body)}`);
}

/** A valid ImportHumanUserRequest for `name`, with optional overrides. */
export function humanUser(name: string, overrides: Partial<ImportHumanUser> = {}): ImportHumanUser {
  return {
    userName: `${name}@example.com`,
    profile: { firstName: name, lastName: 'Tester', preferredLanguage: 'en' },
    email: { email: `${name}@example.com`, isEmailVerified: true },
    ...overrides,
  };
}

/** An import request of `users` into `orgId`. */
export function importRequest(
  orgId: string,
  users: { userId: string; user: ImportHumanUser; state?: string }[],
  extra: { timeout?: string; orgName?: string; userMetadata?: { id: string; key: string; value: string }[] } = {},
): ImportDataRequest {
  return {
    dataOrgs: {
      orgs: [
        {
          orgId,
          ...(extra.orgName ? { org: { name: extra.orgName } } : {}),
          humanUsers: users as ImportDataRequest['dataOrgs']['orgs'][0]['humanUsers'],
          ...(extra.userMetadata ? { userMetadata: extra.userMetadata } : {}),
        },
      ],
    },
    timeout: extra.timeout ?? '5m0s',
  };
}

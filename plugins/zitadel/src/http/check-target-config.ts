// Load-time checks of an HTTP sink's `with:` block that a JSON Schema cannot express, so that
// `idflow validate` reports them located instead of the run failing when it starts.
import { type ConfigCheckProblem, ConfigError } from '@idflow/engine';
import { type AuthConfig, resolveAuth } from '../auth/auth-config.js';
import { parseDurationMs } from '../retry/retry-policy.js';
import { requireSecureUrl } from './require-secure-url.js';

/** The parts of both HTTP sinks' config these checks read. */
export interface TargetConfig {
  url: string;
  auth: AuthConfig;
  allowInsecure?: boolean;
  retry?: { maxElapsed?: string | number; initialDelay?: string | number; maxDelay?: string | number };
}

function problemsOf(check: () => unknown, path: (string | number)[]): ConfigCheckProblem[] {
  try {
    check();
    return [];
  } catch (error) {
    const messages = error instanceof ConfigError ? error.problems.map((p) => p.message) : [(error as Error).message];
    return messages.map((message) => ({ path, message }));
  }
}

/** HTTPS rule, credentials and durations; `durations` names extra duration keys of the sink. */
export function checkTargetConfig(config: TargetConfig, durations: { [key: string]: string | number | undefined } = {}): ConfigCheckProblem[] {
  const retryDurations = { maxElapsed: config.retry?.maxElapsed, initialDelay: config.retry?.initialDelay, maxDelay: config.retry?.maxDelay };
  return [
    ...problemsOf(() => requireSecureUrl(config.url, config.allowInsecure ?? false), ['url']),
    ...problemsOf(() => resolveAuth(config.auth), ['auth']),
    ...Object.entries(durations).flatMap(([key, value]) => (value === undefined ? [] : problemsOf(() => parseDurationMs(value), [key]))),
    ...Object.entries(retryDurations).flatMap(([key, value]) => (value === undefined ? [] : problemsOf(() => parseDurationMs(value), ['retry', key]))),
  ];
}

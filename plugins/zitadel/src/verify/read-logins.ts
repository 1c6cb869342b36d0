// Test accounts for real password checks: `--login email:password` or a file of them.
import { readFile } from 'node:fs/promises';
import { ConfigError } from '@idflow/engine';

/** One account to log in with. */
export interface LoginCheck {
  email: string;
  password: string;
}

/** Parses `email:password` (the password may contain `:`). */
export function parseLoginArgument(text: string): LoginCheck {
  const colon = text.indexOf(':');
  if (colon <= 0 || colon === text.length - 1) {
    throw new ConfigError([{ path: '--login', message: 'expected email:password (got a value without both parts)' }]);
  }
  return { email: text.slice(0, colon), password: text.slice(colon + 1) };
}

function toLogin(value: unknown, where: string): LoginCheck {
  const candidate = value as Partial<LoginCheck> | null;
  if (!candidate || typeof candidate.email !== 'string' || typeof candidate.password !== 'string') {
    throw new ConfigError([{ file: where, path: '--logins', message: 'each entry needs string "email" and "password"' }]);
  }
  return { email: candidate.email, password: candidate.password };
}

/** Reads a JSON list or NDJSON of `{email, password}`; errors name the file and line, never a password. */
export async function readLoginsFile(path: string): Promise<LoginCheck[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ file: path, path: '--logins', message: `cannot read: ${(error as NodeJS.ErrnoException).code ?? 'error'}` }]);
  }
  if (text.trimStart().startsWith('[')) {
    let list: unknown;
    try {
      list = JSON.parse(text);
    } catch {
      throw new ConfigError([{ file: path, path: '--logins', message: 'not valid JSON' }]);
    }
    return (list as unknown[]).map((entry, i) => toLogin(entry, `${path}[${i}]`));
  }
  return text.split('\n').flatMap((line, i) => {
    if (!line.trim()) return [];
    try {
      return [toLogin(JSON.parse(line), `${path}:${i + 1}`)];
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new ConfigError([{ file: path, line: i + 1, path: '--logins', message: 'not valid JSON' }]);
    }
  });
}

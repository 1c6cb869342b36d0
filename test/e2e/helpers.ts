// Shared helpers for end-to-end tests that run the built CLI.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cliBin = join(repoRoot, 'packages', 'cli', 'dist', 'bin.js');

#!/usr/bin/env node
// Entry point of the `idflow` command (built to dist/bin.js).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));

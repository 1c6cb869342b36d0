#!/usr/bin/env node
// Entry point of the `idflow` command (built to dist/bin.js).
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
// The command is done. A plugin that never settled may still hold a socket or a timer open; it
// must not keep the process alive past its report (an unref'd timer fires only in that case).
setTimeout(() => process.exit(), 2000).unref();

#!/usr/bin/env node
// The `orch` executable: everything else is loaded on demand by the command that runs.
// No top-level await: the bundle is CommonJS (tools/bundle-cli.mjs explains why).
import { runCli } from './cli.js';

void runCli(process.argv.slice(2)).then((status) => {
  // On Linux Node writes stdout/stderr to files and pipes synchronously, so nothing is lost by
  // exiting here; exiting explicitly keeps a stray handle from holding the caller (conmon, a shim).
  process.exit(status);
});

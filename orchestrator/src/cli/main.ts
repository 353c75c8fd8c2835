#!/usr/bin/env node
// The `orch` executable: everything else is loaded on demand by the command that runs.
import { runCli } from './cli.js';

const status = await runCli(process.argv.slice(2));
// On Linux Node writes stdout/stderr to files and pipes synchronously, so nothing is lost by
// exiting here; exiting explicitly keeps a stray handle from holding the caller (conmon, a shim).
process.exit(status);

#!/usr/bin/env bash
# The whole test suite, from a fresh checkout (as root): set up, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup.sh
node tools/gen-protocol.mjs --check
# Containers left by detached creates are re-parented to a subreaper and reaped, as under conmon.
exec build/native/subreaper npx ava "$@"

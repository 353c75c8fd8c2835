#!/usr/bin/env bash
# The fault-injection pass of test/lifecycle, longer: orch create SIGKILLed RUNS times across its
# run (then delete), start/exec/delete killed RUNS/2 times each (then delete --force), the helper
# killed RUNS/2 times during create, update and pause killed RUNS times each. Prints what was seen and how much was left (0 expected).
# As root, after tools/setup.sh. Usage: tools/crash-test.sh [RUNS] (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build >/dev/null
ORCH_CRASH_RUNS=${1:-200} exec build/native/subreaper npx ava --timeout=30m --verbose test/lifecycle/interrupted-create.test.ts test/lifecycle/interrupted-change.test.ts

#!/usr/bin/env bash
# Checkpoint/restore for real: Debian's criu 3.17 fails `criu check` on this host's 6.18 kernel
# (vDSO), so this boots the 6.1 cgroup-v2 VM (shared/tools/vm, see its README) with this repo
# shared at the same path and runs test/criu there with ava, under the test subreaper (as
# tools/test.sh runs the suite). Everything is built on the host first; the guest only runs it.
# Exit status: ava's; 124 on the VM's timeout, 125 if the VM failed.
#
#   test/criu/run-in-vm.sh
#   SKIP_BUILD=1 VM_TIMEOUT=600 test/criu/run-in-vm.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
vm_run=${VM_RUN:-$repo/../shared/tools/vm/vm-run.sh}
if [ ! -x "$vm_run" ]; then
  echo "run-in-vm: $vm_run not found (set VM_RUN)" >&2
  exit 2
fi
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  npm run build >/dev/null
fi
env=()
# a helper built elsewhere (an engineer's own build dir) must be shared with the guest too
shares=(--share "$repo:$repo")
if [ -n "${ORCH_INIT_HELPER:-}" ]; then
  env+=(--env "ORCH_INIT_HELPER=$ORCH_INIT_HELPER")
  case "$ORCH_INIT_HELPER" in "$repo"/*) ;; *) shares+=(--share "$(dirname "$ORCH_INIT_HELPER"):$(dirname "$ORCH_INIT_HELPER"):ro") ;; esac
fi
exec "$vm_run" "${shares[@]}" --cwd "$repo" --stream --timeout "${VM_TIMEOUT:-600}" "${env[@]}" -- \
  build/native/subreaper node node_modules/ava/entrypoints/cli.mjs --concurrency=1 --timeout=5m \
  build/test/criu/checkpoint-restore.test.js

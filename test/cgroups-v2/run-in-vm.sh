#!/usr/bin/env bash
# The cgroup tests on cgroup v2: boots the cgroup-v2-only VM (shared/tools/vm, see its README) with
# this repo shared at the same path, and runs test/cgroups files there with ava, one file at a time,
# under the test subreaper (as tools/test.sh runs the suite). Everything is built on the host first
# (the guest only runs it). Exit status: ava's; 124 on the VM's timeout, 125 if the VM failed.
#
# By default the files that need a v2 kernel: real containers with limits, and the eBPF device
# filter. The other test/cgroups files are pure (v2 file maps included) and run on any host.
# Not part of `npm test`: under software emulation the VM takes several minutes (see the report).
#
#   test/cgroups-v2/run-in-vm.sh                              # container-limits, device-filter
#   test/cgroups-v2/run-in-vm.sh conversions stats-json       # other test/cgroups files
#   SKIP_BUILD=1 VM_TIMEOUT=600 test/cgroups-v2/run-in-vm.sh
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
files=()
names=("$@")
[ $# -gt 0 ] || names=(container-limits device-filter)
for name in "${names[@]}"; do files+=("build/test/cgroups/${name%.test.*}.test.js"); done
exec "$vm_run" --share "$repo:$repo" --cwd "$repo" --stream --timeout "${VM_TIMEOUT:-900}" \
  --env ORCH_TEST_EXPECT_CGROUP=2 -- \
  build/native/subreaper node node_modules/ava/entrypoints/cli.mjs --concurrency=1 --timeout=5m "${files[@]}"

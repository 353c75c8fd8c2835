#!/usr/bin/env bash
# Builds the init helper's libFuzzer harnesses (test/fuzz, clang with ASan + UBSan) in build/fuzz
# and runs each for SECONDS (default 60) on a scratch copy of its committed seed corpus.
# Prints one line per harness: runs, coverage, corpus size. Exits non-zero on any crash, leak or
# UBSan report (the reproducer is left in build/fuzz/artifacts/). As root or not; Debian 12 needs
# clang and libclang-rt-14-dev. Usage: tools/fuzz.sh [SECONDS] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
need=()
for pkg in clang libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null; fi

harnesses=("$@")
if [ "${#harnesses[@]}" -eq 0 ]; then
  for source in test/fuzz/fuzz_*.c; do harnesses+=("$(basename "$source" .c)"); done
fi
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DORCH_FUZZ=ON >/dev/null
cmake --build build/fuzz -j2 --target "${harnesses[@]}" >/dev/null

mkdir -p build/fuzz/artifacts
failed=0
for name in "${harnesses[@]}"; do
  corpus=$(mktemp -d /tmp/orch-fuzz-corpus.XXXXXX)
  cp -r "test/fuzz/corpus/${name#fuzz_}/." "$corpus/"
  log=build/fuzz/$name.log
  # the input size bound keeps one run cheap; a hang of 10 s is a finding too
  if build/fuzz/"$name" -max_total_time="$seconds" -timeout=10 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix=build/fuzz/artifacts/"$name"- "$corpus" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed=1
  fi
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -1 || true)
  printf '%-20s %-6s %10s runs  %s  corpus %s\n' "$name" "$status" "$runs" "${cov:-cov: ?}" "$(ls "$corpus" | wc -l)"
  [ "$status" = ok ] || tail -30 "$log"
  rm -rf "$corpus"
done
exit "$failed"

#!/usr/bin/env bash
# Benchmarks orch side by side with runc and crun in one run, and prints ratios:
#   run of /bin/true (whole lifecycle), create+start+delete as a client drives it, state, and
#   peak RSS of a run; containers through the library (warm, per container: sequential, and 10
#   at a time beside 10 CLI runs at once of runc and crun). As root, after tools/setup.sh. Usage: tools/bench.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
orch="$PWD/dist/orch.cjs"
need=()
for pkg in hyperfine runc crun time busybox-static; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || need+=("$pkg")
done
if [ "${#need[@]}" -gt 0 ]; then apt-get install -y -q "${need[@]}" >/dev/null; fi

work=$(mktemp -d /tmp/orch-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
bundle="$work/bundle"
mkdir -p "$bundle/rootfs"/{bin,proc,sys,dev,tmp,etc}
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in true sh; do ln -s busybox "$bundle/rootfs/bin/$applet"; done
(cd "$bundle" && runc spec)
sed -i 's/"terminal": true/"terminal": false/; s/"sh"$/"true"/' "$bundle/config.json"

# crun refuses a hybrid cgroup layout (a cgroup2 mount holding controllers next to v1), so on
# such hosts every runtime runs inside one private mount namespace without that mount: the same
# conditions for all three, and no per-run cost.
inner="$work/inner.sh"
cat > "$inner" <<INNER
set -euo pipefail
if mountpoint -q /sys/fs/cgroup/unified; then umount /sys/fs/cgroup/unified; fi
cd "$work"
for rt in orch runc crun; do mkdir -p "root-\$rt"; done
RT_orch="$orch"; RT_runc=runc; RT_crun=crun
lifecycle() { echo "\$1 --root $work/root-\$2 create -b $bundle lc-\$2 >/dev/null && \$1 --root $work/root-\$2 start lc-\$2 && \$1 --root $work/root-\$2 delete --force lc-\$2"; }
hyperfine -N --warmup 3 --runs $runs --export-json run.json \
  -n orch "\$RT_orch --root $work/root-orch run -b $bundle r-orch" \
  -n runc "runc --root $work/root-runc run -b $bundle r-runc" \
  -n crun "crun --root $work/root-crun run -b $bundle r-crun" >/dev/null
hyperfine --warmup 2 --runs $runs --export-json lifecycle.json \
  -n orch "\$(lifecycle \$RT_orch orch)" -n runc "\$(lifecycle runc runc)" -n crun "\$(lifecycle crun crun)" >/dev/null
for rt in orch runc crun; do eval "bin=\\\$RT_\$rt"; \$bin --root $work/root-\$rt run -d -b $bundle st-\$rt >/dev/null 2>&1 || true; done
hyperfine -N --warmup 3 --runs $runs --export-json state.json \
  -n orch "\$RT_orch --root $work/root-orch state st-orch" -n runc "runc --root $work/root-runc state st-runc" -n crun "crun --root $work/root-crun state st-crun" >/dev/null
for rt in orch runc crun; do eval "bin=\\\$RT_\$rt"; \$bin --root $work/root-\$rt delete --force st-\$rt >/dev/null 2>&1 || true; done
for rt in orch runc crun; do eval "bin=\\\$RT_\$rt"; /usr/bin/time -f "%M" -o "rss-\$rt" \$bin --root $work/root-\$rt run -b $bundle m-\$rt; done
# the library, warm: sequential and 10 at a time, beside 10 CLI runs at once of runc and crun
node "$PWD/tools/bench-library.mjs" "$bundle" "$work/root-lib" $runs > lib.json
par10() { echo "seq 10 | xargs -P10 -I{} \$1 --root $work/root-\$2 run -b $bundle p\$2-{}"; }
hyperfine --warmup 1 --runs \$(( ($runs + 9) / 10 )) --export-json par10.json \
  -n runc "\$(par10 runc runc)" -n crun "\$(par10 crun crun)" >/dev/null
INNER
unshare -m --propagation slave bash "$inner"

node - "$work" <<'NODE'
const { readFileSync } = require('fs');
const dir = process.argv[2];
const mean = (file) => Object.fromEntries(JSON.parse(readFileSync(`${dir}/${file}`)).results.map((r) => [r.command, r.mean * 1000]));
const rows = [['run /bin/true', mean('run.json')], ['create+start+delete', mean('lifecycle.json')], ['state', mean('state.json')]];
const rss = Object.fromEntries(['orch', 'runc', 'crun'].map((rt) => [rt, Number(readFileSync(`${dir}/rss-${rt}`, 'utf8').trim()) / 1024]));
const fmt = (n) => n.toFixed(1).padStart(8);
console.log(`${'benchmark'.padEnd(22)}${'orch'.padStart(8)}${'runc'.padStart(8)}${'crun'.padStart(8)}  orch/runc  orch/crun`);
for (const [name, m] of rows) console.log(`${(name + ' (ms)').padEnd(22)}${fmt(m.orch)}${fmt(m.runc)}${fmt(m.crun)}  ${(m.orch / m.runc).toFixed(2).padStart(9)}  ${(m.orch / m.crun).toFixed(2).padStart(9)}`);
const lib = JSON.parse(readFileSync(`${dir}/lib.json`, 'utf8'));
const par10 = mean('par10.json');
const run = mean('run.json');
const libRows = [['library, sequential', lib.seqMs, run.runc, run.crun], ['library, 10 at a time', lib.par10Ms, par10.runc / 10, par10.crun / 10]];
for (const [name, l, r, c] of libRows) console.log(`${(name + ' (ms)').padEnd(22)}${fmt(l)}${fmt(r)}${fmt(c)}  ${(l / r).toFixed(2).padStart(9)}  ${(l / c).toFixed(2).padStart(9)}`);
console.log(`${'peak RSS of run (MiB)'.padEnd(22)}${fmt(rss.orch)}${fmt(rss.runc)}${fmt(rss.crun)}  ${(rss.orch / rss.runc).toFixed(2).padStart(9)}  ${(rss.orch / rss.crun).toFixed(2).padStart(9)}`);
NODE

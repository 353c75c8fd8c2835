#!/usr/bin/env bash
# Sets orch up on this host (as root) and runs a demo container from a busybox rootfs.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/setup.sh

bundle=${ORCH_DEMO_BUNDLE:-/tmp/orch-demo}
rm -rf "$bundle"
mkdir -p "$bundle/rootfs"/{bin,etc,proc,sys,dev,tmp,root}
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for applet in $(/bin/busybox --list); do [ "$applet" = busybox ] || ln -sf busybox "$bundle/rootfs/bin/$applet"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$bundle/rootfs/etc/passwd"
echo 'root:x:0:' > "$bundle/rootfs/etc/group"

orch=(node "$PWD/dist/orch.cjs")
cd "$bundle"
"${orch[@]}" spec
# The default config runs `sh`; run a short script instead so the demo needs no terminal.
node -e '
  const fs = require("fs");
  const spec = JSON.parse(fs.readFileSync("config.json", "utf8"));
  spec.process.terminal = false;
  spec.hostname = "orch-demo";
  spec.process.args = ["sh", "-c", "echo \"hello from $(hostname), pid $$ in its own pid namespace\"; id; ps; cat /proc/self/mountinfo | cut -d\" \" -f5 | head -5"];
  fs.writeFileSync("config.json", JSON.stringify(spec, null, 2));
'
id="orch-demo-$$"
"${orch[@]}" run "$id"
echo "demo container exited with status $?"

#!/usr/bin/env bash
# Installs what orch needs on a Debian 12 host (as root) and builds it: apt packages, npm ci,
# the TypeScript bundle and the C init helper. Safe to run again; it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# clang and its runtime: the libFuzzer harnesses of test/fuzz (tools/fuzz.sh); criu: checkpoint/restore (test/criu runs it in a VM whose kernel it knows); podman, conmon and containerd: test/clients runs orch under its real clients; systemd and dbus:
# test/systemd boots a private systemd (never as this machine's init) for the systemd cgroup driver
packages=(cmake make gcc clang libclang-rt-14-dev libc6-dev pkg-config libjson-c-dev libseccomp-dev libcap-dev busybox-static iproute2 procps uidmap podman conmon containerd systemd dbus criu)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then missing+=(nodejs npm); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: orch needs Node.js 20 or newer (found $(node --version))" >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run --silent build

# `orch` on PATH, as the README's "Using it" calls it (npm install -g of the package does the same)
if [ "$(id -u)" -eq 0 ]; then ln -sf "$PWD/dist/orch.cjs" /usr/local/bin/orch; fi

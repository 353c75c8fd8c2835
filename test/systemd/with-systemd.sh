#!/usr/bin/env bash
# with-systemd.sh: run one command next to a real, private systemd.
#
# Why: orch's systemd cgroup driver talks D-Bus to org.freedesktop.systemd1, but systemd is not
# PID 1 on our machines (and must never be started against the host's real root: its units would
# empty /tmp, apply sysctls, ...). This boots /lib/systemd/systemd --system in container mode as
# PID 1 of new pid+mount+cgroup+uts+ipc namespaces, on an isolated root, and runs the command in
# those namespaces, where systemd is the system manager and the system bus works. It works on the
# cgroup-v1 hybrid host and on cgroup v2 (../shared/tools/vm/vm-run.sh).
#
# Usage (as root): test/systemd/with-systemd.sh [--share DIR]... -- CMD [ARG...]
#   --share DIR  bind-mount DIR read-write at the same path in systemd's root (repeatable). The
#                current directory is always shared (unless it is /); CMD runs in it.
# Exit status: CMD's; 125 when systemd could not be set up or booted (its console is printed),
# or when CMD succeeded but teardown left something behind; 2 on bad usage.
# Environment: SYSTEMD_BOOT_TIMEOUT (s, default 120), SYSTEMD_STOP_TIMEOUT (s, default 15),
#   WITH_SYSTEMD_SCOPE=0 runs CMD in a plain leaf cgroup instead of a transient scope,
#   WITH_SYSTEMD_VERBOSE=1 reports boot/stop times and the console tail on stderr,
#   SYSTEMD_LOG_LEVEL (default info) is systemd's --log-level.
#
# How:
# - cgroups: orch-systemd-test-<pid>/{supervisor,container} in every hierarchy under
#   /sys/fs/cgroup (each v1 controller, name=systemd and unified; or the one cgroup2). This script
#   and its helpers live in supervisor; container is the root of systemd's cgroup namespace and
#   holds nothing else, so systemd (and on v2 the no-internal-process rule) is happy.
# - root: an overlayfs per host mount (lower = the host's mount, upper = a private tmpfs); mounts
#   that are overlays already (the VM's /usr and /etc) are bound read-only instead, so the stack
#   depth leaves room for the containers under test. Fresh /proc (/proc/sys read-only: PID 1
#   raises fs.file-max etc.), read-only sysfs, cgroupfs as on the host, a minimal /dev whose
#   console is a pty logged by script(1), tmpfs /run and /tmp, then the shared dirs. All of it is
#   in the private mount namespace; the host sees none of it.
# - units: the boot unit is orch-test.target (dbus.socket + dbus.service), every generator and
#   every unit some *.wants dir pulls in (tmpfiles, journald, getty, timers, postgresql, ...) is
#   masked in /run/systemd. Unit output goes to the console (journald is masked).
# - CMD: nsenter into systemd's namespaces, from a leaf cgroup orch-test-cmd.scope in systemd's
#   root, then `systemd-run --scope -p Delegate=yes` so CMD is a transient scope systemd knows
#   (its pids are in systemd's pid namespace); nothing in CMD's cgroup is foreign to systemd.
set -euo pipefail

NAME_PREFIX=orch-systemd-test
BOOT_UNIT=orch-test.target
CMD_LEAF=orch-test-cmd.scope

die() { echo "with-systemd: $*" >&2; exit 125; }
note() { [ "${WITH_SYSTEMD_VERBOSE:-0}" != 1 ] || echo "with-systemd: $*" >&2; }

# Mount points with their fs type, from /proc/self/mountinfo: "MOUNTPOINT<TAB>FSTYPE<TAB>SUPEROPTS",
# octal escapes (\040 for a space) decoded.
mounts() {
  local mp fstype opts
  local -a f
  local i
  while read -r -a f; do
    for ((i = 6; i < ${#f[@]}; i++)); do [ "${f[i]}" != - ] || break; done
    printf '%b\t%s\t%s\n' "${f[4]//\\/\\0}" "${f[i + 1]}" "${f[i + 3]}"
  done </proc/self/mountinfo
}

# The cgroup hierarchies at or under /sys/fs/cgroup: "MOUNTPOINT<TAB>FSTYPE<TAB>KEY", KEY being the
# hierarchy's controllers/name as /proc/self/cgroup spells them ("" for cgroup2).
cgroup_hierarchies() {
  local known mp fstype opts key o
  known=" "
  while read -r o _; do [[ "$o" == \#* ]] || known+="$o "; done </proc/cgroups
  while IFS=$'\t' read -r mp fstype opts; do
    case "$mp" in /sys/fs/cgroup | /sys/fs/cgroup/*) ;; *) continue ;; esac
    key=
    case "$fstype" in
      cgroup2) ;;
      cgroup)
        for o in ${opts//,/ }; do
          if [[ "$known" == *" $o "* || "$o" == name=* ]]; then key+="${key:+,}$o"; fi
        done ;;
      *) continue ;;
    esac
    printf '%s\t%s\t%s\n' "$mp" "$fstype" "$key"
  done < <(mounts)
}

# ---------------------------------------------------------------------------------------------
# Stage 2: PID 1 of the new namespaces, still on the host's (private copy of the) mount tree.
# Builds systemd's root under $WS_SCRATCH/ns, reports its host pid, waits for the go, pivots, and
# becomes systemd.
# ---------------------------------------------------------------------------------------------
pid1_main() {
  # Under the VM's emulation every exec costs 0.1-0.3 s: builtins wherever they will do.
  local S=$WS_SCRATCH N R mp fstype opts i=0 share n
  N=$S/ns R=$S/ns/root
  mount -t tmpfs -o mode=0755 orch-systemd-root "$N"

  local -a shares=()
  mapfile -t shares <<<"$WS_SHARES"
  under() { # under PATH PREFIX: PATH is PREFIX or below it
    [ "$2" = / ] || [ "$1" = "$2" ] || [[ "$1" == "$2"/* ]]
  }
  # The host's mounts to carry over, the topmost of a stacked mount point only.
  local -A seen=()
  local -a order=() dirs=("$R")
  while IFS=$'\t' read -r mp fstype opts; do
    case "$mp" in /proc | /proc/* | /sys | /sys/* | /dev | /dev/* | /run | /run/* | /tmp | /tmp/*) continue ;; esac
    under "$mp" "$S" && continue
    for share in "${shares[@]}"; do [ -z "$share" ] || ! under "$mp" "$share" || continue 2; done
    case "$fstype" in autofs | proc | sysfs | cgroup | cgroup2 | devtmpfs | devpts | mqueue | binfmt_misc | nsfs) continue ;; esac
    if [ -z "${seen[$mp]:-}" ]; then
      order+=("$mp")
      dirs+=("$N/upper/${#order[@]}" "$N/work/${#order[@]}")
    fi
    seen[$mp]=$fstype
  done < <(mounts)
  [ -n "${seen[/]:-}" ] || { echo "with-systemd: no root mount found" >&2; exit 1; }
  mkdir -p "${dirs[@]}"
  # Parents first: by depth, stable.
  local d depth maxdepth=0
  for mp in "${order[@]}"; do
    d=${mp%/}; d=${d//[^\/]/}
    [ "${#d}" -le "$maxdepth" ] || maxdepth=${#d}
  done
  for ((depth = 0; depth <= maxdepth; depth++)); do
    for mp in "${order[@]}"; do
      d=${mp%/}; d=${d//[^\/]/}
      [ "${#d}" = "$depth" ] || continue
      i=$((i + 1))
      fstype=${seen[$mp]}
      local target=$R${mp%/}
      if [ -d "$mp" ] && [ "$fstype" != overlay ]; then
        [[ "$mp" != *[,:\\]* ]] || { echo "with-systemd: cannot overlay $mp (',', ':' or '\\' in its path)" >&2; exit 1; }
        [ -d "$target" ] || mkdir -p "$target"
        mount -t overlay "orch-systemd-$i" -o "lowerdir=$mp,upperdir=$N/upper/$i,workdir=$N/work/$i" "$target"
      else # an overlay already (another layer could exceed the stack depth), or a file: read-only bind
        if [ -d "$mp" ]; then [ -d "$target" ] || mkdir -p "$target"; else : >>"$target"; fi
        mount --bind -o ro "$mp" "$target"
      fi
    done
  done

  # /proc: this pid namespace's; sysctls and sysrq read-only (they are the host kernel's).
  mount -t proc -o nosuid,nodev,noexec proc "$R/proc"
  for n in sys sysrq-trigger; do
    [ ! -e "$R/proc/$n" ] || mount --bind -o ro "$R/proc/$n" "$R/proc/$n"
  done

  # /sys read-only, cgroupfs writable and laid out as on the host; in this cgroup namespace its
  # root is the orch-systemd-test-*/container cgroup.
  mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$R/sys"
  local ctype key
  if [ "$WS_CGROUP2_ONLY" = 1 ]; then
    mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$R/sys/fs/cgroup"
  else
    mount -t tmpfs -o mode=0755,nosuid,nodev,noexec cgroup-root "$R/sys/fs/cgroup"
    local -a cgs=()
    mapfile -t cgs < <(cgroup_hierarchies)
    dirs=()
    for n in "${cgs[@]}"; do dirs+=("$R${n%%$'\t'*}"); done
    mkdir -p "${dirs[@]}"
    for n in "${cgs[@]}"; do
      IFS=$'\t' read -r mp ctype key <<<"$n"
      if [ "$ctype" = cgroup2 ]; then
        mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$R$mp"
      else
        [[ "$key" == *name=* && "$key" != *,* ]] && key="none,$key"
        mount -t cgroup -o "nosuid,nodev,noexec,$key" cgroup "$R$mp"
      fi
    done
    for n in /sys/fs/cgroup/*; do # e.g. cpu -> cpu,cpuacct on stock Debian
      [ ! -L "$n" ] || ln -s "$(readlink "$n")" "$R$n"
    done
    # Read-only, or systemd mounts the controllers the host left in cgroup2 (hugetlb, net_cls, ...)
    # as new v1 hierarchies, which takes them from the host's cgroup2 while it runs.
    mount -o remount,ro "$R/sys/fs/cgroup"
  fi

  # /dev: copies of a few of the host's nodes, private pts/shm/mqueue, and the pty that script(1)
  # logs as the console (systemd writes its console output only to a tty). systemd adds the
  # fd/stdin/stdout/stderr links itself.
  [ -t 0 ] || { echo "with-systemd: stdin is not the console pty" >&2; exit 1; }
  mount -t tmpfs -o mode=0755,nosuid orch-systemd-dev "$R/dev"
  local -a nodes=()
  for n in null zero full random urandom tty fuse net/tun; do [ ! -c "/dev/$n" ] || nodes+=("$n"); done
  (cd /dev && cp -a --parents "${nodes[@]}" "$R/dev/")
  : >"$R/dev/console"
  mount --bind /proc/self/fd/0 "$R/dev/console" # mount's stdin: the pty
  mkdir "$R/dev/pts" "$R/dev/shm" "$R/dev/mqueue"
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5,nosuid,noexec devpts "$R/dev/pts"
  ln -s pts/ptmx "$R/dev/ptmx"
  mount -t tmpfs -o mode=1777,nosuid,nodev shm "$R/dev/shm"
  mount -t mqueue -o nosuid,nodev,noexec mqueue "$R/dev/mqueue"

  mount -t tmpfs -o mode=0755,nosuid,nodev orch-systemd-run "$R/run"
  mount -t tmpfs -o mode=1777,nosuid,nodev orch-systemd-tmp "$R/tmp"

  # The shared dirs (sorted by the supervisor, so nested shares stack).
  for share in "${shares[@]}"; do
    [ -n "$share" ] || continue
    [ -d "$R$share" ] || mkdir -p "$R$share"
    mount --rbind "$share" "$R$share"
  done

  # Units: boot only what the bus needs. Every generator and whatever a *.wants dir pulls in is
  # masked by an empty file of its name (as good as a /dev/null link, and no exec per unit).
  local sd=$R/run/systemd/system gen=$R/run/systemd/system-generators u
  mkdir -p "$sd" "$gen"
  mkdir -m 1777 "$R/run/lock"
  printf '%s\n' '[Unit]' 'Description=orch systemd test environment (with-systemd.sh)' 'Requires=dbus.socket' \
    'Wants=dbus.service' 'After=dbus.socket dbus.service' 'AllowIsolate=yes' >"$sd/$BOOT_UNIT"
  local -A mask=()
  local -a unitdirs=(/etc/systemd/system /usr/local/lib/systemd/system /usr/lib/systemd/system)
  [ /lib -ef /usr/lib ] || unitdirs+=(/lib/systemd/system)
  shopt -s nullglob
  for d in "${unitdirs[@]}"; do
    for u in "$d"/*.wants/*; do mask[${u##*/}]=1; done
  done
  # Also by name, in case something else pulls them in: they would touch the host or are slow.
  for u in systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service systemd-tmpfiles-clean.service \
    systemd-tmpfiles-clean.timer systemd-sysctl.service systemd-modules-load.service systemd-binfmt.service \
    proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount systemd-udevd.service \
    systemd-udev-trigger.service systemd-udev-settle.service systemd-timesyncd.service \
    systemd-random-seed.service systemd-remount-fs.service systemd-journald.service systemd-journald.socket \
    systemd-journald-dev-log.socket systemd-journald-audit.socket systemd-journal-flush.service \
    systemd-logind.service getty.target console-getty.service timers.target postgresql.service \
    systemd-update-utmp.service systemd-firstboot.service systemd-sysusers.service; do
    mask[$u]=1
  done
  unset 'mask[dbus.socket]' 'mask[dbus.service]'
  for u in "${!mask[@]}"; do : >"$sd/$u"; done
  for d in /etc/systemd/system-generators /usr/local/lib/systemd/system-generators /usr/lib/systemd/system-generators \
    /lib/systemd/system-generators; do
    for u in "$d"/*; do : >"$gen/${u##*/}"; done
  done
  shopt -u nullglob

  # Report our host pid (/proc is still the host's here), wait until the supervisor has moved
  # its own processes out of our cgroup, then switch to the new root for good.
  local hostpid _
  exec 5<>"$S/go" # opened before reporting, so the go cannot get lost
  read -r hostpid _ </proc/self/stat
  echo "$hostpid" >"$S/pid1"
  read -r _ <&5
  exec 5<&-
  cd "$R"
  pivot_root . .
  umount -l .
  cd /
  # A clean environment, and no capabilities that act on the host's kernel beyond these namespaces
  # (PID 1 would load autofs4 & co., timesyncd set the clock).
  for n in $(compgen -e); do unset "$n" 2>/dev/null || true; done
  export container=orch-systemd-test TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
  exec setpriv --bounding-set=-sys_module,-sys_time,-wake_alarm,-syslog,-audit_control,-audit_read \
    /lib/systemd/systemd --system --unit="$BOOT_UNIT" --log-target=console --log-level="${SYSTEMD_LOG_LEVEL:-info}" --log-color=no --show-status=yes \
    --default-standard-output=tty --default-standard-error=tty
}

if [ "${1:-}" = --internal-pid1 ]; then
  pid1_main
  exit 1
fi

# ---------------------------------------------------------------------------------------------
# Stage 1: the supervisor, on the host. One brace group: bash reads all of it before running any,
# so editing this file cannot derail a run in progress.
# ---------------------------------------------------------------------------------------------
{
usage() { echo "usage: $0 [--share DIR]... -- CMD [ARG...]" >&2; exit 2; }
shares=()
while [ $# -gt 0 ]; do
  case "$1" in
    --share) [ $# -ge 2 ] || usage; shares+=("$2"); shift 2 ;;
    --share=*) shares+=("${1#--share=}"); shift ;;
    --) shift; break ;;
    *) usage ;;
  esac
done
[ $# -gt 0 ] || usage
[ "$EUID" = 0 ] || die "must run as root"
for t in /lib/systemd/systemd unshare nsenter script systemctl busctl dbus-daemon; do
  command -v "$t" >/dev/null || die "$t is missing"
done
boot_timeout=${SYSTEMD_BOOT_TIMEOUT:-120}
stop_timeout=${SYSTEMD_STOP_TIMEOUT:-15}
self=$0
[[ "$self" == /* ]] || self=$PWD/$self
cwd=$(pwd -P)

# Shares as real paths, the current directory too unless it is /; shortest first, so that a share
# inside another one is mounted on top of it.
real_shares=()
[ "$cwd" = / ] || real_shares+=("$cwd")
for s in "${shares[@]}"; do
  [ -d "$s" ] || die "--share $s: not a directory"
  s=$(readlink -f "$s")
  case "$s" in
    /) die "--share /: would expose the host's root to systemd" ;;
    /proc | /proc/* | /sys | /sys/* | /dev | /dev/*) die "--share $s: API filesystems cannot be shared" ;;
  esac
  for o in "${real_shares[@]}"; do [ "$o" != "$s" ] || continue 2; done
  real_shares+=("$s")
done
share_list=
for ((n = 1, left = ${#real_shares[@]}; left > 0; n++)); do
  for s in "${real_shares[@]}"; do
    [ "${#s}" = "$n" ] || continue
    share_list+=${share_list:+$'\n'}$s
    left=$((left - 1))
  done
done

name=$NAME_PREFIX-$$
scratch=$(mktemp -d "${TMPDIR:-/tmp}/$NAME_PREFIX-$$.XXXXXX")
mkdir "$scratch/ns"
mkfifo "$scratch/go" "$scratch/nap"
exec {nap_fd}<>"$scratch/nap"
# sleep without an exec (each costs up to 0.3 s under the VM's emulation)
nap() { read -r -t "$1" -u "$nap_fd" _ || true; }

declare -a cg_mp=() cg_type=() cg_key=() cg_orig=()
declare -A orig_by_key=()
while IFS=: read -r _ key path; do orig_by_key["k:$key"]=$path; done </proc/self/cgroup
while IFS=$'\t' read -r mp ctype key; do
  cg_mp+=("$mp"); cg_type+=("$ctype"); cg_key+=("$key")
  [ -n "${orig_by_key[k:$key]+x}" ] || die "no line for hierarchy $mp ($key) in /proc/self/cgroup"
  cg_orig+=("${orig_by_key[k:$key]}")
done < <(cgroup_hierarchies)
[ "${#cg_mp[@]}" -gt 0 ] || die "no cgroup hierarchy mounted under /sys/fs/cgroup"
cgroup2_only=0
[ "${cg_mp[0]}" != /sys/fs/cgroup ] || [ "${cg_type[0]}" != cgroup2 ] || cgroup2_only=1

launcher_pid='' pid1='' cmd_pid='' made_cgroups=0 t_start=$EPOCHREALTIME

# mkcg REL...: those cgroup dirs (parents first) in every hierarchy, with one mkdir; v1 cpuset
# dirs get their parent's cpus/mems, or they could hold no task.
mkcg() {
  local -a dirs=()
  local i rel parent f v
  for i in "${!cg_mp[@]}"; do for rel in "$@"; do dirs+=("${cg_mp[$i]}/$rel"); done; done
  mkdir "${dirs[@]}" || die "cannot create cgroups $*"
  for i in "${!cg_mp[@]}"; do
    [[ ",${cg_key[$i]}," == *,cpuset,* ]] || continue
    for rel in "$@"; do
      parent=${rel%/*}
      [ "$parent" != "$rel" ] || parent=
      for f in cpuset.cpus cpuset.mems; do
        read -r v <"${cg_mp[$i]}/$parent/$f" || true
        echo "$v" >"${cg_mp[$i]}/$rel/$f" || die "cannot set ${cg_mp[$i]}/$rel/$f"
      done
    done
  done
}

# join_cgroups PID REL: move PID to REL in every hierarchy.
join_cgroups() {
  local i
  for i in "${!cg_mp[@]}"; do
    echo "$1" >"${cg_mp[$i]}$2/cgroup.procs" || die "cannot move pid $1 to ${cg_mp[$i]}$2"
  done
}

# elapsed START: seconds since START (an $EPOCHREALTIME), to 0.1 s, without an exec.
elapsed() {
  local now=$EPOCHREALTIME start=$1
  local us=$((10#${now//[.,]/} - 10#${start//[.,]/}))
  echo "$((us / 1000000)).$((us / 100000 % 10))"
}
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# A short probe inside systemd's namespaces (it stays in the supervisor cgroup); systemctl and
# busctl time out by themselves (25 s), in_ns for diagnostics also when the bus is wedged.
probe() { nsenter -t "$pid1" -m -p -C -u -i -r -w -- "$@" </dev/null 3<&- {nap_fd}<&-; }
in_ns() { timeout 20 nsenter -t "$pid1" -m -p -C -u -i -r -w -- "$@" </dev/null 3<&- {nap_fd}<&-; }

print_console() {
  echo "with-systemd: --- systemd console (last ${1:-80} lines) ---" >&2
  [ ! -f "$scratch/console.log" ] || tail -n "${1:-80}" "$scratch/console.log" | tr -d '\r' >&2
  echo "with-systemd: --- end of console ---" >&2
}

teardown() {
  local rc=$? leaks=() i t p d deadline
  set +e
  trap - EXIT INT TERM HUP
  trap '' PIPE # a reader of our stderr that went away must not stop the cleanup
  local t_stop=$EPOCHREALTIME
  # systemd: halt (SIGRTMIN+3) stops its units, then PID 1 exits and the kernel kills what is left
  # of the pid namespace; SIGKILL if that takes too long.
  if alive "$pid1"; then
    kill -s RTMIN+3 "$pid1" 2>/dev/null
    deadline=$((EPOCHSECONDS + stop_timeout))
    while alive "$pid1" && [ "$EPOCHSECONDS" -lt "$deadline" ]; do nap 0.1; done
    if alive "$pid1"; then
      echo "with-systemd: systemd did not stop within ${stop_timeout}s; killing it" >&2
      kill -KILL "$pid1" 2>/dev/null
    fi
  fi
  for p in "$launcher_pid" "$cmd_pid"; do
    [ -n "$p" ] || continue
    deadline=$((EPOCHSECONDS + 5))
    while alive "$p" && [ "$EPOCHSECONDS" -lt "$deadline" ]; do nap 0.1; done
    alive "$p" && kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  # The cgroup subtree: leave it, kill anything still in it, remove it children first.
  if [ "$made_cgroups" = 1 ]; then
    for i in "${!cg_mp[@]}"; do echo $$ >"${cg_mp[$i]}${cg_orig[$i]}/cgroup.procs" 2>/dev/null; done
    deadline=$((EPOCHSECONDS + 10))
    while :; do
      local busy=0
      for i in "${!cg_mp[@]}"; do
        t=${cg_mp[$i]}/$name
        [ -d "$t" ] || continue
        while read -r p; do busy=1; kill -KILL "$p" 2>/dev/null; done < <(find "$t" -name cgroup.procs -exec cat {} + 2>/dev/null)
        find "$t" -depth -type d -exec rmdir {} + 2>/dev/null
        [ ! -d "$t" ] || busy=1
      done
      [ "$busy" = 1 ] && [ "$EPOCHSECONDS" -lt "$deadline" ] || break
      nap 0.2
    done
    for i in "${!cg_mp[@]}"; do [ ! -d "${cg_mp[$i]}/$name" ] || leaks+=("cgroup ${cg_mp[$i]}/$name"); done
  fi
  wait 2>/dev/null
  if [ -n "$pid1" ] && alive "$pid1"; then leaks+=("process $pid1 (systemd)"); fi
  note "stopped in $(elapsed "$t_stop")s"
  [ "${WITH_SYSTEMD_VERBOSE:-0}" != 1 ] || print_console 40
  rm -rf --one-file-system "$scratch" || leaks+=("scratch dir $scratch")
  if [ "${#leaks[@]}" -gt 0 ]; then
    printf 'with-systemd: teardown left: %s\n' "${leaks[@]}" >&2
    [ "$rc" != 0 ] || rc=125
  fi
  exit "$rc"
}
trap teardown EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# 1. Cgroups: <name>/supervisor holds this script and its helpers, <name>/container is systemd's.
made_cgroups=1
mkcg "$name" "$name/supervisor" "$name/container"
for i in "${!cg_mp[@]}"; do
  mp=${cg_mp[$i]}
  have=()
  [ "${cg_type[$i]}" != cgroup2 ] || read -r -a have <"$mp/cgroup.controllers" || true
  if [ "${#have[@]}" -gt 0 ]; then
    # Delegate every controller the root has down to systemd's root (none on a hybrid host).
    read -r enabled <"$mp/cgroup.subtree_control" || true
    for c in "${have[@]}"; do
      [[ " $enabled " == *" $c "* ]] || echo "+$c" >"$mp/cgroup.subtree_control" ||
        echo "with-systemd: cannot enable $c in $mp (continuing without it)" >&2
    done
    read -r -a have <"$mp/$name/cgroup.controllers"
    for c in "${have[@]}"; do
      echo "+$c" >"$mp/$name/cgroup.subtree_control" || echo "with-systemd: cannot enable $c in $mp/$name" >&2
    done
  fi
done
join_cgroups $$ "/$name/supervisor"

# 2. Start PID 1: the launcher subshell joins the container cgroup first so that unshare's new
# cgroup namespace is rooted there; script(1) gives it a pty to use as the console.
exec 3<&0
(
  exec 3<&- {nap_fd}<&-
  join_cgroups "$BASHPID" "/$name/container"
  export WS_SCRATCH=$scratch WS_SHARES=$share_list WS_CGROUP2_ONLY=$cgroup2_only SHELL=/bin/bash
  exec script -q -f -e -c "exec unshare --pid --fork --kill-child=SIGKILL --mount --propagation private --cgroup --uts --ipc -- $(printf '%q %q' "$BASH" "$self") --internal-pid1" \
    "$scratch/console.log"
) </dev/null >/dev/null 2>"$scratch/script.err" &
launcher_pid=$!

deadline=$((EPOCHSECONDS + boot_timeout))
until [ -s "$scratch/pid1" ]; do
  if ! alive "$launcher_pid" || [ "$EPOCHSECONDS" -ge "$deadline" ]; then
    cat "$scratch/script.err" >&2
    print_console
    alive "$launcher_pid" && die "systemd's namespaces not set up after ${boot_timeout}s"
    die "setting up systemd's namespaces failed"
  fi
  nap 0.05
done
read -r pid1 <"$scratch/pid1"
note "root prepared in $(elapsed "$t_start")s"
# Only PID 1 may stay in the container cgroup (the root of its cgroup namespace).
for i in "${!cg_mp[@]}"; do
  mapfile -t procs <"${cg_mp[$i]}/$name/container/cgroup.procs"
  for p in "${procs[@]}"; do
    [ "$p" = "$pid1" ] || echo "$p" >"${cg_mp[$i]}/$name/supervisor/cgroup.procs" || die "cannot move pid $p out of ${cg_mp[$i]}/$name/container"
  done
done
exec 4<>"$scratch/go"
echo go >&4
exec 4>&-

# 3. Wait for the boot: the manager is running (or degraded) and the system bus answers.
state=
while :; do
  alive "$launcher_pid" || { print_console; die "systemd exited during boot"; }
  state=$(probe systemctl is-system-running 2>/dev/null) || true
  if [ "$state" = running ] || [ "$state" = degraded ]; then
    if probe busctl --system call org.freedesktop.systemd1 \
      /org/freedesktop/systemd1 org.freedesktop.DBus.Peer Ping >/dev/null 2>&1; then
      break
    fi
  fi
  if [ "$EPOCHSECONDS" -ge "$deadline" ]; then
    echo "with-systemd: systemd not up after ${boot_timeout}s (state: ${state:-unknown})" >&2
    in_ns systemctl --no-pager list-jobs >&2 || true
    in_ns systemctl --no-pager --failed >&2 || true
    print_console
    exit 125
  fi
  nap 0.2
done
note "systemd up ($state) in $(elapsed "$t_start")s"
[ "$state" = running ] || in_ns systemctl --no-pager --failed >&2 || true

# 4. CMD: from a leaf of systemd's root into systemd's namespaces, then (by default) a transient
# scope, so its cgroup is one systemd created and tracks.
mkcg "$name/container/$CMD_LEAF"
if [ "${WITH_SYSTEMD_SCOPE:-1}" = 1 ]; then
  run=(systemd-run --scope --quiet --collect --unit="orch-test-cmd-$$" -p Delegate=yes -- "$@")
else
  run=("$@")
fi
(
  join_cgroups "$BASHPID" "/$name/container/$CMD_LEAF"
  exec nsenter -t "$pid1" -m -p -C -u -i -r --wdns="$cwd" -- "${run[@]}" <&3 3<&- {nap_fd}<&-
) &
cmd_pid=$!
# nsenter stays behind as CMD's parent, in the host's pid namespace only. Once it has forked, move
# it out of systemd's tree: there it would be a pid systemd cannot see ("0" in cgroup.procs), which
# makes systemd's v1 controller migration fail with EIO.
kids=
while [ -z "$kids" ] && alive "$cmd_pid"; do
  read -r kids <"/proc/$cmd_pid/task/$cmd_pid/children" 2>/dev/null || true
  [ -n "$kids" ] || nap 0.01
done
if [ -n "$kids" ]; then
  for i in "${!cg_mp[@]}"; do echo "$cmd_pid" >"${cg_mp[$i]}/$name/supervisor/cgroup.procs" 2>/dev/null || true; done
fi
set +e
wait "$cmd_pid"
rc=$?
set -e
cmd_pid=
exit "$rc"
}

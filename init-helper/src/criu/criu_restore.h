#ifndef ORCH_CRIU_RESTORE_H
#define ORCH_CRIU_RESTORE_H

/*
 * `orch-init criu-restore [--foreground] --root-bind SRC:DST --pid-file FILE -- criu restore …`,
 * spawned by `orch restore` with the sync socket at $_ORCH_SYNC_FD:
 *   1. waits for procRun: the orchestrator has put it in the container's new cgroup, so criu and
 *      every task it restores start there;
 *   2. in a mount namespace of its own, bind-mounts the rootfs SRC onto DST (criu wants its
 *      --root to be a mount point whose parent is not overmounted) without touching the host's;
 *   3. runs criu (restore-detached, pid written to FILE) and reports procPids {pid} or procError;
 *   4. --foreground: it is a child subreaper, so the restored init (orphaned when criu exits)
 *      comes to it; it reaps until that init exits and exits with its status, as stage-0 does
 *      for `run`. Otherwise it exits at once and the init goes to the caller's subreaper.
 * Returns the exit code.
 */
int criu_restore_main(int sync_fd, int argc, char **argv);

#endif

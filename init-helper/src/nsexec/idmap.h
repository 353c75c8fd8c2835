#ifndef ORCH_IDMAP_H
#define ORCH_IDMAP_H

#include <sys/types.h>

#include "bootstrap.h"

/*
 * Runs in stage-0 (host side) once stage-1 has unshared its user namespace: writes "deny" to
 * /proc/PID/setgroups when the bootstrap says setgroups=false, then the uid and gid maps, either
 * directly or through newuidmap/newgidmap when their paths are given.
 */
int idmap_write(pid_t pid, const struct bootstrap *boot, struct orch_error *err);

#endif

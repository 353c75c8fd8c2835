#ifndef ORCH_CLONED_BINARY_H
#define ORCH_CLONED_BINARY_H

#include "../error/error.h"

/*
 * CVE-2019-5736: a process in the container can reach the helper's executable through
 * /proc/<init>/exe and, once the init has exec'd away, reopen it for writing and overwrite the
 * host's orch-init. So the helper first re-executes itself from a sealed memfd copy: /proc/PID/exe
 * then names that copy, which nobody can write, truncate or grow.
 *
 * A helper installed on a read-only mount is safe as it is and runs without the copy.
 *
 * Returns 0 when already running from such a copy or mount, -1 with err set on failure; else
 * it execs the copy with the same argv, environment and fds. Call it before any fd that must
 * survive is marked close-on-exec.
 */
int cloned_binary_ensure(char **argv, struct orch_error *err);

#endif

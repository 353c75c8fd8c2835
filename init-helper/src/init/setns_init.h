#ifndef ORCH_SETNS_INIT_H
#define ORCH_SETNS_INIT_H

#include "../config/init_config.h"
#include "standard_init.h"

/*
 * Stage-2 of `orch-init setns` (exec): already inside every namespace of the running container
 * (stage-1 joined them, user first, and cloned us into its pid namespace), applies spec.process
 * (the exec'd process) and the container's confinement, then execs it. No rootfs, no exec fifo:
 * the sync socket is close-on-exec, so the orchestrator's end-of-file means the execve worked.
 * Returns -1 with err set on any failure, execve's included (the socket is still open then).
 */
int setns_init(const struct init_config *cfg, const struct init_context *ic,
	       struct orch_error *err);

#endif

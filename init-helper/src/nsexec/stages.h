#ifndef ORCH_STAGES_H
#define ORCH_STAGES_H

#include <sys/types.h>

#include "../config/init_config.h"
#include "bootstrap.h"

/*
 * State stage-0 builds before forking; stage-1 and stage-2 get it as a copy of stage-0's memory.
 * Internal channels are SOCK_SEQPACKET socketpairs; index 0 is stage-0's end.
 */
struct stage_context {
	struct init_config cfg;
	struct bootstrap boot;
	int sync_fd;	/* orchestrator socket */
	int fifo_fd;	/* O_PATH exec fifo, for the init */
	int chan1[2];	/* stage-0 <-> stage-1: id maps, init pid, errors */
	int chan2[2];	/* stage-0 -> stage-2: release once procPids is sent */
	int console_relay; /* foreground terminal: stage-0's end of the console socket, else -1 */
	int console_resize; /* foreground terminal: "COLS ROWS" lines from the orchestrator, else -1 */
	int pidfd_socket;  /* --pidfd-socket: connected before any namespace exists, else -1 */
};

/*
 * `orch-init init` and `orch-init setns` (mode "init" or "setns", which the config's type must
 * match): runs stage-0 and returns its exit code (children never return).
 */
int stage0_run(int sync_fd, const char *mode);

/* exec_fifo_create.c: mkfifo 0622 and an O_PATH fd for the init (stage-0, on the host). */
int exec_fifo_create(const char *path, int *fd, struct orch_error *err);

/*
 * reap.c, foreground stage-0: reaps every child until the init exits; returns its wait status
 * (exit code 1 when it cannot be waited for).
 */
int reap_until_init_exits(pid_t init);

/*
 * reap.c: ends this process as the init ended (wait status): with its exit code, or by its
 * signal (core dumps off), so the orchestrator tells an exit 130 from SIGINT. Returns 128+N only
 * when signal N cannot end us; the caller returns that from main.
 */
int end_as(int wstatus);

/* pidfd_socket.c (stage-0): dial --pidfd-socket; send it a pidfd of the container's process. */
int pidfd_socket_open(struct stage_context *ctx, struct orch_error *err);
int pidfd_socket_send(struct stage_context *ctx, pid_t pid, struct orch_error *err);

__attribute__((noreturn)) void stage1_run(struct stage_context *ctx);
__attribute__((noreturn)) void stage2_run(struct stage_context *ctx);

#endif

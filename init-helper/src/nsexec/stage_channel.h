#ifndef ORCH_STAGE_CHANNEL_H
#define ORCH_STAGE_CHANNEL_H

#include <sys/types.h>

#include "../error/error.h"

/*
 * Messages between the helper's own stages, over SOCK_SEQPACKET socketpairs made by stage-0
 * (one record per message, so no framing). Private to the helper; the orchestrator never sees
 * them. Stage-0 is the only writer on the orchestrator socket until it releases the init, so
 * stage-1 reports its failures here and stage-0 forwards them.
 */
enum stage_msg_type {
	STAGE_MAP_REQUEST = 1,	/* 1 -> 0: I unshared the user ns, write my id maps */
	STAGE_MAP_DONE,		/* 0 -> 1: maps written */
	STAGE_PIDS,		/* 1 -> 0: pid = the init's pid, I am about to exit */
	STAGE_ERROR,		/* 1 -> 0: text says what failed */
	STAGE_RELEASE,		/* 0 -> 2: procPids is out, the socket is yours */
};

struct stage_msg {
	int type;
	pid_t pid;
	char text[1024];
};

/* Sends a message; returns 0 or -1 with err set. */
int stage_send(int fd, int type, pid_t pid, const char *text, struct orch_error *err);

/* Receives one message; returns 1, 0 at end-of-file (the peer is gone), or -1 with err set. */
int stage_recv(int fd, struct stage_msg *msg, struct orch_error *err);

#endif

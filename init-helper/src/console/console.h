#ifndef ORCH_CONSOLE_H
#define ORCH_CONSOLE_H

#include <stdbool.h>
#include <sys/types.h>
#include <json-c/json.h>

#include "../config/init_config.h"
#include "../error/error.h"

/*
 * process.terminal. As with runc and crun the pty belongs to the container: the init opens
 * /dev/pts/ptmx of the container's own devpts (so it works in user namespaces too), makes the
 * slave its stdio, controlling terminal and /dev/console, and sends the master with SCM_RIGHTS
 * over a "console socket". Stage-0 hands the init that socket:
 *   - create/run -d --console-socket PATH: a SOCK_STREAM connection to PATH (conmon, containerd's
 *     shim, recvtty receive the master, exactly as from runc);
 *   - foreground run: one end of a socketpair whose other end stage-0 keeps; stage-0 receives the
 *     master and relays between the caller's stdio and it (relay.c).
 */

/* console_channel.c, stage-0 on the host: the two ends, -1 when unused. */
struct console_channel {
	int init_end;	/* the init sends the master here (CLOEXEC) */
	int relay_end;	/* foreground: stage-0 receives the master here */
};

/* true when spec.process.terminal is set. */
bool console_wanted(const struct init_config *cfg);

/*
 * Opens the channel the config asks for (both ends -1 without a terminal). Errors read as runc's
 * ("dial unix PATH: connect: connection refused").
 */
int console_channel_open(const struct init_config *cfg, struct console_channel *ch,
			 struct orch_error *err);

/*
 * console_setup.c, the init after the root change and before anything is remounted read-only
 * (runc's setupConsole + Setctty): allocate the pty, apply process.consoleSize, bind the slave
 * onto /dev/console (not for a setns init: it joins a container that has one, as runc), send
 * the master on cfg->console_socket, make the slave fds 0-2 and the controlling terminal.
 * Nothing to do when cfg->console_socket < 0. The caller has called setsid().
 */
int console_setup(const struct init_config *cfg, struct orch_error *err);

/*
 * console_setup.c, the init once `create` has succeeded: tells the foreground relay that the
 * process is about to run (one byte on the socket), so it puts the caller's terminal in raw mode
 * only then; a failed create never touches it. Nothing is written to an outside receiver.
 */
void console_created(const struct init_config *cfg);

/* pty_open.c: a new pty of the devpts mounted at /dev/pts; *master and *slave are O_CLOEXEC. */
int pty_open(int *master, int *slave, unsigned int *index, struct orch_error *err);


/*
 * fd_recv.c: receives one fd sent by fd_send (O_CLOEXEC). Returns 1 with *fd set, 0 when the
 * peer closed without sending, -1 with err set.
 */
int fd_recv(int socket, int *fd, struct orch_error *err);

/*
 * stdio_owner.c, the init before the user switch (runc's fixStdioPermissions): fds 0-2 not on
 * /dev/null and not owned by process.user.uid are chowned to it, so the process can reopen its
 * terminal or /dev/stdout. Skipped for the caller's own stdio (foreground run without a
 * terminal, where runc would have made pipes of its own).
 */
int stdio_owner_fix(const struct init_config *cfg, struct orch_error *err);

/*
 * relay.c, stage-0 of a foreground run with a terminal, once the init is released: receives the
 * master on relay_end, copies the pty's output to fd 1 and, once the process runs, fd 0 to the
 * pty with the caller's terminal in raw mode; passes window-size changes on; reaps until the init
 * exits; restores the terminal on every way out (the orchestrator dying included). Returns the
 * init's wait status (for end_as). resize_fd (-1: none) carries "COLS ROWS" lines: the window
 * size a library caller sets, applied to the pty as they come.
 */
int console_relay_run(int relay_end, int resize_fd, pid_t init);

#endif

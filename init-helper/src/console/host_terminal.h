#ifndef ORCH_HOST_TERMINAL_H
#define ORCH_HOST_TERMINAL_H

#include <stdbool.h>
#include <termios.h>

/* The caller's terminal during a foreground run with process.terminal (stage-0's relay). */
struct host_terminal {
	int fd;			/* first terminal of fds 2, 1, 0 (runc's order); -1: none */
	struct termios saved;	/* its settings before raw mode */
	bool raw;		/* raw mode is on and must be undone */
};

/* Finds the terminal; t->fd is -1 when stdio is all redirected (then there is nothing to do). */
void host_terminal_find(struct host_terminal *t);

/* Raw mode as cfmakeraw(3) (containerd/console's SetRaw): every byte, ^C included, goes to the
 * container's pty, whose own line discipline then acts on it. Failures are reported on stderr. */
void host_terminal_make_raw(struct host_terminal *t);

/* Puts the saved settings back (idempotent). SIGTTOU must be ignored or blocked. */
void host_terminal_restore(struct host_terminal *t);

/* Gives the pty the terminal's window size (initially and on SIGWINCH); 0x0 is left alone. */
void host_terminal_copy_size(const struct host_terminal *t, int master);

#endif

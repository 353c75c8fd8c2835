#include "host_terminal.h"
#include "../log/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

void host_terminal_find(struct host_terminal *t)
{
	static const int order[] = { 2, 1, 0 };

	t->fd = -1;
	t->raw = false;
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (isatty(order[i])) {
			t->fd = order[i];
			return;
		}
	}
}

void host_terminal_make_raw(struct host_terminal *t)
{
	struct termios raw;

	if (t->fd < 0 || t->raw)
		return;
	if (tcgetattr(t->fd, &t->saved) < 0) {
		orch_log(ORCH_LOG_WARNING, "read the terminal's settings: %s", strerror(errno));
		return;
	}
	raw = t->saved;
	cfmakeraw(&raw);
	if (tcsetattr(t->fd, TCSANOW, &raw) < 0) {
		orch_log(ORCH_LOG_WARNING, "set the terminal to raw mode: %s", strerror(errno));
		return;
	}
	t->raw = true;
}

void host_terminal_restore(struct host_terminal *t)
{
	int r;

	if (!t->raw)
		return;
	do
		r = tcsetattr(t->fd, TCSANOW, &t->saved);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		orch_log(ORCH_LOG_WARNING, "restore the terminal's settings: %s", strerror(errno));
	t->raw = false;
}

void host_terminal_copy_size(const struct host_terminal *t, int master)
{
	struct winsize ws;

	if (t->fd < 0 || master < 0)
		return;
	if (ioctl(t->fd, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return;
	/* The kernel sends SIGWINCH to the container's foreground process group. */
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		orch_log(ORCH_LOG_WARNING, "resize the container's terminal: %s", strerror(errno));
}

#include "console.h"
#include "../network/unix_socket.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

bool console_wanted(const struct init_config *cfg)
{
	return cfg_bool(cfg_get(cfg->spec, "process"), "terminal", false);
}

int console_channel_open(const struct init_config *cfg, struct console_channel *ch,
			 struct orch_error *err)
{
	const char *path = cfg_string(cfg->root, "consoleSocket");
	int pair[2];

	ch->init_end = ch->relay_end = -1;
	if (!console_wanted(cfg))
		return 0;
	if (path != NULL && path[0] != '\0') {
		ch->init_end = unix_dial(path, err);
		return ch->init_end < 0 ? -1 : 0;
	}
	/* The orchestrator refuses this first; a detached init would have nobody to send to. */
	if (!cfg->foreground)
		return orch_fail(err, 0, "cannot allocate tty if runc will detach without setting "
					 "console socket");
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0)
		return orch_fail(err, errno, "socketpair for the console");
	ch->relay_end = pair[0];
	ch->init_end = pair[1];
	return 0;
}

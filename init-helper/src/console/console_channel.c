#include "console.h"

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

/* Go's error text for an errno is strerror's, starting lowercase; clients print runc's. */
static int dial_fail(const char *path, int errnum, struct orch_error *err)
{
	char text[128];

	snprintf(text, sizeof(text), "%s", strerror(errnum));
	text[0] = (char)tolower((unsigned char)text[0]);
	return orch_fail(err, 0, "dial unix %s: connect: %s", path, text);
}

/* As runc's net.Dial("unix", path): the caller's listener sees one SOCK_STREAM connection. */
static int dial(const char *path, struct orch_error *err)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd, r;

	if (strlen(path) >= sizeof(addr.sun_path))
		return orch_fail(err, 0, "dial unix %s: socket path too long (max %zu bytes)", path,
				 sizeof(addr.sun_path) - 1);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return orch_fail(err, errno, "dial unix %s: socket", path);
	do
		r = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int saved = errno;

		close(fd);
		return dial_fail(path, saved, err);
	}
	return fd;
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
		ch->init_end = dial(path, err);
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

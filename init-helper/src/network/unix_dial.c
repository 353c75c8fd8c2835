#include "unix_socket.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* Go's error text for an errno is strerror's, starting lowercase; clients print runc's. */
static int dial_fail(const char *path, int errnum, struct orch_error *err)
{
	char text[128];

	snprintf(text, sizeof(text), "%s", strerror(errnum));
	text[0] = (char)tolower((unsigned char)text[0]);
	return orch_fail(err, 0, "dial unix %s: connect: %s", path, text);
}

/* As runc's net.Dial("unix", path): the caller's listener sees one SOCK_STREAM connection. */
int unix_dial(const char *path, struct orch_error *err)
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

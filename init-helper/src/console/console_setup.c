#include "console.h"
#include "../network/unix_socket.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <orch/protocol.h>

/* process.consoleSize, applied only when both are set, as runc does. */
static int apply_size(int master, json_object *process, struct orch_error *err)
{
	json_object *size = cfg_get(process, "consoleSize");
	long long height = cfg_int(size, "height", 0);
	long long width = cfg_int(size, "width", 0);
	struct winsize ws = { 0 };

	if (height == 0 || width == 0)
		return 0;
	if (height < 0 || height > 0xffff || width < 0 || width > 0xffff)
		return orch_fail(err, 0, "process.consoleSize %lldx%lld: out of range 0..65535",
				 width, height);
	ws.ws_row = (unsigned short)height;
	ws.ws_col = (unsigned short)width;
	if (ioctl(master, TIOCSWINSZ, &ws) < 0)
		return orch_fail(err, errno, "set the console size (process.consoleSize)");
	return 0;
}

/* Programs that write to /dev/console (init systems, syslog) reach the container's pty. */
static int bind_console(unsigned int index, struct orch_error *err)
{
	char source[32];
	struct stat st;
	int fd;

	fd = open("/dev/console", O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd >= 0) {
		/* 0666 whatever the umask, as runc leaves it */
		int r = fchmod(fd, 0666);
		int saved = errno;

		close(fd);
		if (r < 0)
			return orch_fail(err, saved, "chmod /dev/console");
	} else if (errno != EEXIST) {
		return orch_fail(err, errno, "create /dev/console");
	}
	/* mount(2) follows symlinks in the target: refuse one rather than mount elsewhere. */
	if (lstat("/dev/console", &st) < 0)
		return orch_fail(err, errno, "stat /dev/console");
	if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
		return orch_fail(err, 0, "/dev/console is a %s, not a file to mount the pty on",
				 S_ISLNK(st.st_mode) ? "symlink" : "directory");
	snprintf(source, sizeof(source), "/dev/pts/%u", index);
	if (mount(source, "/dev/console", NULL, MS_BIND, NULL) < 0)
		return orch_fail(err, errno, "bind %s onto /dev/console", source);
	return 0;
}

/* The slave becomes fds 0-2 (not close-on-exec) and the session's controlling terminal. */
static int take_slave(int slave, struct orch_error *err)
{
	for (int fd = 0; fd < 3; fd++) {
		/* A closed stdio fd may have given the slave its number: dup3 refuses fd onto itself. */
		int r = slave == fd ? fcntl(fd, F_SETFD, 0) : dup3(slave, fd, 0);

		if (r < 0)
			return orch_fail(err, errno, "dup the pty slave onto fd %d", fd);
	}
	/* The init called setsid(): it is a session leader without a terminal. */
	if (ioctl(0, TIOCSCTTY, 0) < 0)
		return orch_fail(err, errno, "make the pty the controlling terminal (TIOCSCTTY)");
	return 0;
}

void console_created(const struct init_config *cfg)
{
	const char started = 1;

	if (cfg->console_socket < 0 || !cfg->foreground)
		return;
	/* Best effort: without it the caller's terminal only stays in its normal mode. */
	while (send(cfg->console_socket, &started, 1, MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

int console_setup(const struct init_config *cfg, struct orch_error *err)
{
	json_object *process = cfg_get(cfg->spec, "process");
	unsigned int index;
	int master, slave, rc = -1;

	if (cfg->console_socket < 0)
		return 0;
	if (pty_open(&master, &slave, &index, err) < 0)
		return orch_wrap(err, "process.terminal: ");
	/* An exec'd process (setns) gets a terminal of its own; /dev/console stays the init's. */
	if (apply_size(master, process, err) < 0 ||
	    (strcmp(cfg->type, ORCH_INIT_TYPE_SETNS) != 0 && bind_console(index, err) < 0))
		goto out;
	/* The socket stays open (CLOEXEC) for console_created(). */
	if (fd_send(cfg->console_socket, "/dev/pts/ptmx", master, "the pty master to the console socket", err) < 0)
		goto out;
	/* An outside receiver is done with us, as with runc; the relay hears console_created(). */
	if (!cfg->foreground)
		close(cfg->console_socket);
	rc = take_slave(slave, err);
out:
	close(master);
	if (slave > 2)
		close(slave);
	return rc < 0 ? orch_wrap(err, "process.terminal: ") : 0;
}

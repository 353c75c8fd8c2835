/*
 * recvtty: a receiver for `orch create --console-socket PATH` (and runc's), like runc's
 * tests/cmd/recvtty. It listens on PATH (SOCK_STREAM), accepts the runtime's connection and
 * receives the container's pty master the way conmon and containerd's shim do: one message whose
 * payload is the file's name and whose SCM_RIGHTS carries exactly one fd. It is written apart
 * from the init helper on purpose: it checks the wire format as an outside consumer would.
 *
 *   recvtty [--mode single|null] [--no-stdin] [--pid-file FILE] PATH
 *
 * single (default): one terminal; its output goes to stdout and stdin goes to it, until the
 *                   container's side is closed (the container exited). Exit status 0.
 * null:             any number of terminals; each is held open and its output read and
 *                   dropped, until killed.
 * --pid-file FILE:  written once PATH is listening, so a caller can wait for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#define NAME_MAX_LEN 4096
#define MAX_TERMINALS 256

static void die(const char *what, int errnum)
{
	if (errnum)
		fprintf(stderr, "[recvtty] fatal error: %s: %s\n", what, strerror(errnum));
	else
		fprintf(stderr, "[recvtty] fatal error: %s\n", what);
	exit(1);
}

static int listen_on(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		die("socket path too long", 0);
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket", errno);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		die(path, errno);
	if (listen(fd, 16) < 0)
		die("listen", errno);
	return fd;
}

static void write_pid_file(const char *path)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (f == NULL)
		die(tmp, errno);
	fprintf(f, "%d\n", (int)getpid());
	if (fclose(f) != 0 || rename(tmp, path) < 0)
		die(path, errno);
}

/*
 * As runc's cmsg.RecvFile: the name must be shorter than 4096 bytes and the control data exactly
 * one SCM_RIGHTS fd; anything else is an error (and any fd that came along is closed).
 */
static int receive_master(int conn)
{
	char name[NAME_MAX_LEN];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = name, .iov_len = sizeof(name) };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	do
		n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		die("recvmsg", errno);
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg == NULL || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) {
		fprintf(stderr, "[recvtty] no fd received (%zd bytes)\n", n);
		return -1;
	}
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
	if (n >= NAME_MAX_LEN || (msg.msg_flags & (MSG_CTRUNC | MSG_TRUNC)) ||
	    cmsg->cmsg_len != CMSG_LEN(sizeof(int)) || CMSG_NXTHDR(&msg, cmsg) != NULL) {
		fprintf(stderr, "[recvtty] recvfile: incorrect number of bytes read (n=%zd)\n", n);
		close(fd);
		return -1;
	}
	return fd;
}

static int accept_master(int listener)
{
	int conn, master;

	do
		conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	while (conn < 0 && errno == EINTR);
	if (conn < 0)
		die("accept", errno);
	master = receive_master(conn);
	close(conn);
	return master;
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static int single(int listener, const char *path, bool use_stdin)
{
	char buf[16384];
	int master = accept_master(listener);
	bool in_open = use_stdin;

	/* One terminal only: let another receiver take the path over (as runc's recvtty). */
	close(listener);
	unlink(path);
	if (master < 0)
		return 1;
	for (;;) {
		struct pollfd p[2] = {
			{ .fd = master, .events = POLLIN },
			{ .fd = 0, .events = POLLIN },
		};
		ssize_t n;

		if (poll(p, in_open ? 2 : 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll", errno);
		}
		if (p[0].revents) {
			n = read(master, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break; /* EIO: the container's side is closed */
			if (write_all(1, buf, (size_t)n) < 0)
				die("write stdout", errno);
		}
		if (in_open && p[1].revents) {
			n = read(0, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				in_open = false;
			else if (write_all(master, buf, (size_t)n) < 0)
				die("write to the terminal", errno);
		}
	}
	close(master);
	return 0;
}

__attribute__((noreturn)) static void null_mode(int listener)
{
	struct pollfd p[MAX_TERMINALS + 1];
	char buf[16384];
	int count = 0;

	p[0] = (struct pollfd){ .fd = listener, .events = POLLIN };
	for (;;) {
		if (poll(p, (nfds_t)count + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll", errno);
		}
		for (int i = 1; i <= count; i++) {
			ssize_t n;

			if (!p[i].revents)
				continue;
			n = read(p[i].fd, buf, sizeof(buf));
			if (n > 0 || (n < 0 && errno == EINTR))
				continue;
			close(p[i].fd);
			p[i] = p[count--];
			i--;
		}
		if (p[0].revents & POLLIN) {
			int master = accept_master(listener);

			if (master < 0)
				continue;
			if (count == MAX_TERMINALS) {
				fprintf(stderr, "[recvtty] more than %d terminals: closing the new one\n",
					MAX_TERMINALS);
				close(master);
				continue;
			}
			p[++count] = (struct pollfd){ .fd = master, .events = POLLIN };
		}
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: recvtty [--mode single|null] [--no-stdin] [--pid-file FILE] "
			"SOCKET_PATH\n");
	exit(2);
}

int main(int argc, char **argv)
{
	const char *mode = "single", *pid_file = NULL, *path = NULL;
	bool use_stdin = true;
	int listener;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if ((strcmp(a, "--mode") == 0 || strcmp(a, "-m") == 0) && i + 1 < argc)
			mode = argv[++i];
		else if (strncmp(a, "--mode=", 7) == 0)
			mode = a + 7;
		else if (strcmp(a, "--pid-file") == 0 && i + 1 < argc)
			pid_file = argv[++i];
		else if (strncmp(a, "--pid-file=", 11) == 0)
			pid_file = a + 11;
		else if (strcmp(a, "--no-stdin") == 0)
			use_stdin = false;
		else if (a[0] == '-' || path != NULL)
			usage();
		else
			path = a;
	}
	if (path == NULL)
		usage();
	if (strcmp(mode, "single") != 0 && strcmp(mode, "null") != 0) {
		fprintf(stderr, "[recvtty] need to select a valid mode: %s\n", mode);
		return 1;
	}
	signal(SIGPIPE, SIG_IGN);
	listener = listen_on(path);
	if (pid_file != NULL)
		write_pid_file(pid_file);
	if (strcmp(mode, "single") == 0)
		return single(listener, path, use_stdin);
	null_mode(listener);
}

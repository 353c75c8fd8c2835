/*
 * pidfd-receiver: the other end of `orch create/run/exec --pidfd-socket PATH`, as containerd's
 * shim is. Listens on PATH (writing its pid to --ready FILE once it does), takes one connection,
 * receives one fd by SCM_RIGHTS and prints "<name> <pid>" (the pid from the fd's fdinfo, so only
 * a real pidfd passes). With --kill SIG it then waits for a line on stdin (the caller's go), signals
 * the process through the pidfd and waits (poll) for it to exit, printing "exited".
 *
 *   pidfd-receiver [--ready FILE] [--kill SIG] PATH
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "pidfd-receiver: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int receive(int conn, char *name, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = name, .iov_len = len - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cmsg;
	ssize_t n;
	int fd;

	n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	if (n < 0)
		die("recvmsg");
	name[n] = '\0';
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS) {
		errno = EPROTO;
		die("no fd in the message");
	}
	memcpy(&fd, CMSG_DATA(cmsg), sizeof(fd));
	return fd;
}

/* "Pid:\t<n>" in /proc/self/fdinfo/<fd>: present for pidfds only. */
static long pid_of(int fd)
{
	char path[64], line[256];
	long pid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (f == NULL)
		die(path);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "Pid:", 4) == 0)
			pid = strtol(line + 4, NULL, 10);
	fclose(f);
	return pid;
}

int main(int argc, char **argv)
{
	const char *ready = NULL, *path = NULL;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char name[256];
	int sig = 0, listener, conn, fd;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--ready") == 0 && i + 1 < argc)
			ready = argv[++i];
		else if (strcmp(argv[i], "--kill") == 0 && i + 1 < argc)
			sig = atoi(argv[++i]);
		else
			path = argv[i];
	}
	if (path == NULL || strlen(path) >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: pidfd-receiver [--ready FILE] [--kill SIG] PATH\n");
		return 2;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (listener < 0)
		die("socket");
	if (bind(listener, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(listener, 1) < 0)
		die(path);
	if (ready != NULL) {
		FILE *f = fopen(ready, "w");

		if (f == NULL || fprintf(f, "%d", (int)getpid()) < 0 || fclose(f) != 0)
			die(ready);
	}
	conn = accept4(listener, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		die("accept");
	fd = receive(conn, name, sizeof(name));
	printf("%s %ld\n", name, pid_of(fd));
	fflush(stdout);
	if (sig > 0) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		char go[16];

		if (fgets(go, sizeof(go), stdin) == NULL)
			die("read the go line");
		if (syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0) < 0)
			die("pidfd_send_signal");
		while (poll(&p, 1, 10000) < 0)
			if (errno != EINTR)
				die("poll");
		printf("%s\n", (p.revents & POLLIN) ? "exited" : "still running");
	}
	return 0;
}

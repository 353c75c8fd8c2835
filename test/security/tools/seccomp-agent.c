/*
 * Test tool of test/security: a minimal seccomp agent, the receiving end of listenerPath.
 * `seccomp-agent SOCKET STATE_FILE ERRNO` listens on SOCKET, takes one connection, writes the
 * container process state it receives to STATE_FILE, then answers every notification on the
 * listener fd that came with it (SCM_RIGHTS) with -ERRNO. It exits when the listener hangs up
 * (every process under the filter is gone) or after 60 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

static int die(const char *what)
{
	fprintf(stderr, "seccomp-agent: %s: %s\n", what, strerror(errno));
	return 1;
}

static int receive(int conn, char *buf, size_t size, int *fd)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = size - 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *cmsg;
	ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
	size_t len;

	if (n <= 0)
		return -1;
	len = (size_t)n;
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg == NULL || cmsg->cmsg_type != SCM_RIGHTS)
		return -1;
	memcpy(fd, CMSG_DATA(cmsg), sizeof(int));
	/* The rest of a long state may follow in more reads, until the sender closes. */
	while (len < size - 1 && (n = read(conn, buf + len, size - 1 - len)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	return 0;
}

static int serve(int listener, int err)
{
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) < 0)
		return die("SECCOMP_GET_NOTIF_SIZES");
	req = calloc(1, sizes.seccomp_notif);
	resp = calloc(1, sizes.seccomp_notif_resp);
	if (req == NULL || resp == NULL)
		return die("calloc");
	for (;;) {
		struct pollfd p = { .fd = listener, .events = POLLIN };

		if (poll(&p, 1, 60000) <= 0 || (p.revents & (POLLHUP | POLLERR)))
			return 0;
		memset(req, 0, sizes.seccomp_notif);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) < 0) {
			if (errno == EINTR || errno == ENOENT)
				continue;
			return die("SECCOMP_IOCTL_NOTIF_RECV");
		}
		memset(resp, 0, sizes.seccomp_notif_resp);
		resp->id = req->id;
		resp->error = -err;
		/* ENOENT: the caller was killed meanwhile. */
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0 && errno != ENOENT)
			return die("SECCOMP_IOCTL_NOTIF_SEND");
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	static char state[1 << 16];
	int sock, conn, listener, out;

	if (argc != 4) {
		fprintf(stderr, "usage: seccomp-agent SOCKET STATE_FILE ERRNO\n");
		return 2;
	}
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", argv[1]);
	sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(sock, 1) < 0)
		return die("listen");
	conn = accept4(sock, NULL, NULL, SOCK_CLOEXEC);
	if (conn < 0)
		return die("accept");
	if (receive(conn, state, sizeof(state), &listener) < 0)
		return die("receive the state and the listener fd");
	out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0 || write(out, state, strlen(state)) < 0 || close(out) < 0)
		return die("write the state file");
	return serve(listener, atoi(argv[3]));
}

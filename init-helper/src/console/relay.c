/*
 * Foreground run with a terminal: stage-0 stays the init's parent anyway, so it is the one that
 * holds the pty master and joins it to the caller's stdio (as runc's own process does for
 * `runc run` with a terminal). Node cannot receive an fd; stage-0 can, and it outlives the
 * orchestrator, so the caller's terminal is restored even when the orchestrator is SIGKILLed.
 */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../nsexec/stages.h"
#include "host_terminal.h"
#include "../log/log.h"

struct relay {
	pid_t init, parent;
	int status;
	bool init_exited;
	int sigfd;
	int channel;		/* console socket: one byte once create succeeded, then end-of-file */
	int master;		/* -1 once the pty is gone */
	int resize;		/* "COLS ROWS" lines from the orchestrator, or -1 */
	char resize_line[64];	/* a line not yet complete */
	size_t resize_len;
	bool reading_stdin;	/* from the process' start until end-of-file on fd 0 */
	bool writing_stdout;
	struct host_terminal host;
	char pending[4096];	/* read from fd 0, not yet taken by the pty */
	size_t pending_len, pending_off;
};

static void say(const char *what, int errnum)
{
	orch_log(ORCH_LOG_ERROR, "%s: %s", what, strerror(errnum));
}

static void reap(struct relay *r)
{
	for (;;) {
		int st;
		pid_t w = waitpid(-1, &st, WNOHANG);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == ECHILD && !r->init_exited) {
			say("wait for the init", errno);
			r->status = W_EXITCODE(1, 0);
			r->init_exited = true;
		}
		if (w <= 0)
			return;
		/* Orphans re-parented to us (subreaper) are reaped and forgotten. */
		if (w != r->init)
			continue;
		r->init_exited = true;
		r->status = st;
	}
}

static void close_master(struct relay *r)
{
	if (r->master >= 0)
		close(r->master);
	r->master = -1;
	r->pending_len = r->pending_off = 0;
}

/*
 * The orchestrator is gone (SIGKILL, say): give the terminal back to the caller's shell and
 * close the master, so the container sees its terminal hang up, as when runc's process dies.
 */
static void orchestrator_gone(struct relay *r)
{
	host_terminal_restore(&r->host);
	r->host.fd = -1;
	r->reading_stdin = false;
	r->writing_stdout = false;
	close_master(r);
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			poll(&p, 1, -1);
			continue;
		}
		if (n < 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One read of the pty's output; false once there is nothing more to read for now. */
static bool copy_output(struct relay *r)
{
	char buf[16384];
	ssize_t n = read(r->master, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return false;
	if (n <= 0) {
		/* EIO: every slave fd is closed. */
		if (n < 0 && errno != EIO)
			say("read the container's terminal", errno);
		close_master(r);
		return false;
	}
	if (r->writing_stdout && write_all(1, buf, (size_t)n) < 0) {
		if (errno != EPIPE && errno != EIO)
			say("write the container's output", errno);
		r->writing_stdout = false; /* keep reading, so the container never blocks on us */
	}
	return true;
}

static void read_input(struct relay *r)
{
	ssize_t n = read(0, r->pending, sizeof(r->pending));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		/* As runc: end of input is not passed on (no ^D is sent); the process goes on. */
		if (n < 0 && errno != EIO)
			say("read the input for the container", errno);
		r->reading_stdin = false;
		return;
	}
	r->pending_len = (size_t)n;
	r->pending_off = 0;
}

static void flush_input(struct relay *r)
{
	ssize_t n = write(r->master, r->pending + r->pending_off, r->pending_len - r->pending_off);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n < 0) {
		if (errno != EIO)
			say("write to the container's terminal", errno);
		r->pending_len = r->pending_off = 0;
		return;
	}
	r->pending_off += (size_t)n;
	if (r->pending_off == r->pending_len)
		r->pending_len = r->pending_off = 0;
}

/*
 * The init's byte says create succeeded and the process is about to run: from now on the caller
 * types into the container. End-of-file alone means the init failed (orch reports it): the
 * caller's terminal is left as it is.
 */
static void channel_ready(struct relay *r)
{
	char byte;
	ssize_t n = recv(r->channel, &byte, 1, MSG_DONTWAIT);

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	close(r->channel);
	r->channel = -1;
	if (n != 1 || r->init_exited || r->master < 0 || r->parent != getppid())
		return;
	host_terminal_make_raw(&r->host);
	r->reading_stdin = true;
}

/* Applies every complete "COLS ROWS" line read from the resize channel to the pty. */
static void read_resize(struct relay *r)
{
	ssize_t n = read(r->resize, r->resize_line + r->resize_len, sizeof(r->resize_line) - 1 - r->resize_len);
	char *line, *newline;

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(r->resize);
		r->resize = -1;
		return;
	}
	r->resize_len += (size_t)n;
	r->resize_line[r->resize_len] = '\0';
	line = r->resize_line;
	while ((newline = strchr(line, '\n')) != NULL) {
		unsigned short cols, rows;
		char extra;

		*newline = '\0';
		if (sscanf(line, "%hu %hu %c", &cols, &rows, &extra) == 2) {
			struct winsize ws = { .ws_row = rows, .ws_col = cols };

			if (r->master >= 0 && ioctl(r->master, TIOCSWINSZ, &ws) < 0)
				say("resize the container's terminal", errno);
		} else {
			orch_log(ORCH_LOG_WARNING, "resize: not \"COLS ROWS\": %s", line);
		}
		line = newline + 1;
	}
	r->resize_len = strlen(line);
	memmove(r->resize_line, line, r->resize_len + 1);
	/* a line longer than the buffer is no size: dropped */
	if (r->resize_len == sizeof(r->resize_line) - 1)
		r->resize_len = 0;
}

static void handle_signals(struct relay *r)
{
	struct signalfd_siginfo si;

	while (read(r->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGCHLD:
			reap(r);
			break;
		case SIGWINCH:
			host_terminal_copy_size(&r->host, r->master);
			break;
		case SIGHUP:
			/* Our parent-death signal, or a hangup the orchestrator forwards itself. */
			if (getppid() != r->parent)
				orchestrator_gone(r);
			break;
		default:
			/* INT, TERM, QUIT sent to the process group: the orchestrator forwards them. */
			break;
		}
	}
}

static void loop(struct relay *r)
{
	while (!r->init_exited) {
		struct pollfd p[5];
		int n = 0, i_chan = -1, i_master = -1, i_in = -1, i_resize = -1;

		p[n++] = (struct pollfd){ .fd = r->sigfd, .events = POLLIN };
		if (r->channel >= 0) {
			i_chan = n;
			p[n++] = (struct pollfd){ .fd = r->channel, .events = POLLIN };
		}
		if (r->master >= 0) {
			i_master = n;
			p[n++] = (struct pollfd){
				.fd = r->master,
				.events = POLLIN | (r->pending_len > 0 ? POLLOUT : 0),
			};
		}
		/* One buffer in flight: input waits while the pty is not taking it. */
		if (r->reading_stdin && r->pending_len == 0 && r->master >= 0) {
			i_in = n;
			p[n++] = (struct pollfd){ .fd = 0, .events = POLLIN };
		}
		if (r->resize >= 0) {
			i_resize = n;
			p[n++] = (struct pollfd){ .fd = r->resize, .events = POLLIN };
		}
		if (poll(p, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			say("poll", errno);
			break;
		}
		if (p[0].revents)
			handle_signals(r);
		if (r->init_exited)
			break;
		/* First: the byte comes before the process can write anything, so its output
		 * always finds the terminal already raw. */
		if (i_chan >= 0 && r->channel >= 0 && p[i_chan].revents)
			channel_ready(r);
		if (i_resize >= 0 && r->resize >= 0 && p[i_resize].revents)
			read_resize(r);
		if (i_master >= 0 && r->master >= 0 && (p[i_master].revents & (POLLIN | POLLHUP | POLLERR)))
			copy_output(r);
		if (i_master >= 0 && r->master >= 0 && r->pending_len > 0 &&
		    (p[i_master].revents & POLLOUT))
			flush_input(r);
		if (i_in >= 0 && r->reading_stdin && p[i_in].revents) {
			if (p[i_in].revents & POLLNVAL)
				r->reading_stdin = false;
			else
				read_input(r);
		}
	}
	/* The pid namespace is gone with the init: what the pty still holds is all there is. */
	while (r->master >= 0 && copy_output(r))
		;
}

static int block_signals(struct relay *r)
{
	sigset_t mask;

	/* Set only now: signal masks and ignored signals would be inherited by the container. */
	signal(SIGTTOU, SIG_IGN); /* restoring the terminal from the background must not stop us */
	signal(SIGTTIN, SIG_IGN);
	signal(SIGTSTP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGWINCH);
	sigaddset(&mask, SIGHUP);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGQUIT);
	if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0) {
		say("sigprocmask", errno);
		return -1;
	}
	r->sigfd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r->sigfd < 0) {
		say("signalfd", errno);
		sigprocmask(SIG_UNBLOCK, &mask, NULL);
		return -1;
	}
	return 0;
}

int console_relay_run(int relay_end, int resize_fd, pid_t init)
{
	struct relay r = {
		.init = init,
		.parent = getppid(),
		.channel = relay_end,
		.master = -1,
		.resize = resize_fd,
		.writing_stdout = true,
		.sigfd = -1,
	};
	struct orch_error err;
	int got;

	r.host.fd = -1;
	if (block_signals(&r) < 0) {
		close(relay_end);
		return reap_until_init_exits(init);
	}
	if (prctl(PR_SET_PDEATHSIG, SIGHUP, 0, 0, 0) < 0)
		say("prctl(PR_SET_PDEATHSIG)", errno);
	/* Sent by the init while it sets up the rootfs; end-of-file means it died first. */
	got = fd_recv(relay_end, &r.master, &err);
	if (got < 0)
		orch_log(ORCH_LOG_ERROR, "%s", err.msg);
	if (got <= 0) {
		close(r.channel);
		r.channel = -1;
	} else {
		if (fcntl(r.master, F_SETFL, fcntl(r.master, F_GETFL) | O_NONBLOCK) < 0)
			say("make the pty master non-blocking", errno);
		host_terminal_find(&r.host);
		host_terminal_copy_size(&r.host, r.master);
	}
	if (getppid() != r.parent)
		orchestrator_gone(&r);
	reap(&r); /* a SIGCHLD from before the mask was lost */
	loop(&r);
	host_terminal_restore(&r.host);
	if (!r.init_exited)
		r.status = reap_until_init_exits(init); /* poll failed: no relay, still the status */
	close_master(&r);
	if (r.channel >= 0)
		close(r.channel);
	close(r.sigfd);
	if (r.resize >= 0)
		close(r.resize);
	return r.status;
}

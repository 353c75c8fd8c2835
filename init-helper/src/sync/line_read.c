#include "sync.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fd_io.h"

struct line_buf {
	char *data;
	size_t len;
	size_t cap;
};

static int line_reserve(struct line_buf *b, size_t more, struct orch_error *err)
{
	size_t want = b->len + more + 1;
	char *p;

	if (want > ORCH_SYNC_MAX_MESSAGE)
		return orch_fail(err, 0, "sync message longer than %u bytes", ORCH_SYNC_MAX_MESSAGE);
	if (want <= b->cap)
		return 0;
	if (want < 2 * b->cap)
		want = 2 * b->cap;
	p = realloc(b->data, want);
	if (p == NULL)
		return orch_fail(err, ENOMEM, "sync message: allocate %zu bytes", want);
	b->data = p;
	b->cap = want;
	return 0;
}

/*
 * Peeks at what is queued, then consumes only up to and including the newline: the socket keeps
 * whatever follows, so no data is buffered in this process. Returns 1 when the line is complete,
 * 0 to call again, -1 on error; *not_socket is set when fd does not support MSG_PEEK.
 */
static int read_chunk(int fd, struct line_buf *b, bool *not_socket, struct orch_error *err)
{
	char peek[4096];
	ssize_t n, got;
	char *nl;
	size_t take;

	n = recv(fd, peek, sizeof(peek), MSG_PEEK);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n < 0 && errno == ENOTSOCK) {
		*not_socket = true;
		return 0;
	}
	if (n < 0)
		return orch_fail(err, errno, "read from sync socket");
	if (n == 0)
		return orch_fail(err, 0, "sync socket closed by the peer");
	nl = memchr(peek, '\n', (size_t)n);
	take = nl ? (size_t)(nl - peek) + 1 : (size_t)n;
	if (line_reserve(b, take, err) < 0)
		return -1;
	got = fd_read_full(fd, b->data + b->len, take);
	if (got < 0)
		return orch_fail(err, errno, "read from sync socket");
	if ((size_t)got != take)
		return orch_fail(err, 0, "sync socket closed by the peer");
	b->len += take;
	return nl != NULL;
}

/* For a pipe (no MSG_PEEK): one byte at a time, so nothing past the newline is consumed. */
static int read_byte(int fd, struct line_buf *b, struct orch_error *err)
{
	char c;
	ssize_t n;

	if (line_reserve(b, 1, err) < 0)
		return -1;
	n = read(fd, &c, 1);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n < 0)
		return orch_fail(err, errno, "read from sync socket");
	if (n == 0)
		return orch_fail(err, 0, "sync socket closed by the peer");
	b->data[b->len++] = c;
	return c == '\n';
}

int sync_read_line(int fd, char **line, struct orch_error *err)
{
	struct line_buf b = { 0 };
	bool not_socket = false;
	int done = 0;

	*line = NULL;
	while (done == 0)
		done = not_socket ? read_byte(fd, &b, err) : read_chunk(fd, &b, &not_socket, err);
	if (done < 0) {
		free(b.data);
		return -1;
	}
	b.data[b.len - 1] = '\0'; /* replaces the "\n" */
	*line = b.data;
	return 0;
}

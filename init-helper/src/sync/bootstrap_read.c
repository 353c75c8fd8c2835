#include "sync.h"

#include <errno.h>
#include <stdlib.h>
#include <linux/netlink.h>

#include <orch/protocol.h>

#include "fd_io.h"

int sync_read_bootstrap(int fd, uint8_t **attrs, size_t *len, struct orch_error *err)
{
	struct nlmsghdr hdr;
	size_t payload;
	uint8_t *buf;
	ssize_t n;

	*attrs = NULL;
	*len = 0;
	/* Exactly the header first: its length says how much more belongs to this message. */
	n = fd_read_full(fd, &hdr, sizeof(hdr));
	if (n < 0)
		return orch_fail(err, errno, "read bootstrap header from sync socket");
	if ((size_t)n != sizeof(hdr))
		return orch_fail(err, 0, "read bootstrap header: sync socket closed after %zd bytes", n);
	if (hdr.nlmsg_type != ORCH_INIT_MSG)
		return orch_fail(err, 0, "bootstrap message has type %u, want %d", hdr.nlmsg_type,
				 ORCH_INIT_MSG);
	if (hdr.nlmsg_len < NLMSG_HDRLEN || hdr.nlmsg_len > ORCH_SYNC_MAX_MESSAGE)
		return orch_fail(err, 0, "bootstrap message length %u out of range", hdr.nlmsg_len);
	/* NLMSG_HDRLEN == sizeof(struct nlmsghdr) (16): no padding between header and payload. */
	payload = hdr.nlmsg_len - NLMSG_HDRLEN;
	buf = malloc(payload ? payload : 1);
	if (buf == NULL)
		return orch_fail(err, ENOMEM, "bootstrap message: allocate %zu bytes", payload);
	n = fd_read_full(fd, buf, payload);
	if (n < 0) {
		int saved = errno;

		free(buf);
		return orch_fail(err, saved, "read bootstrap payload from sync socket");
	}
	if ((size_t)n != payload) {
		free(buf);
		return orch_fail(err, 0, "read bootstrap payload: sync socket closed after %zd of %zu bytes",
				 n, payload);
	}
	*attrs = buf;
	*len = payload;
	return 0;
}

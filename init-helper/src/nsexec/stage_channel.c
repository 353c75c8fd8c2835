#include "stage_channel.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int stage_send(int fd, int type, pid_t pid, const char *text, struct orch_error *err)
{
	struct stage_msg msg;
	ssize_t n;

	memset(&msg, 0, sizeof(msg));
	msg.type = type;
	msg.pid = pid;
	if (text != NULL)
		snprintf(msg.text, sizeof(msg.text), "%s", text);
	do
		n = send(fd, &msg, sizeof(msg), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return orch_fail(err, errno, "send message %d to the other stage", type);
	if ((size_t)n != sizeof(msg))
		return orch_fail(err, 0, "send message %d to the other stage: short write", type);
	return 0;
}

int stage_recv(int fd, struct stage_msg *msg, struct orch_error *err)
{
	ssize_t n;

	do
		n = recv(fd, msg, sizeof(*msg), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return orch_fail(err, errno, "receive from the other stage");
	if (n == 0)
		return 0;
	if ((size_t)n != sizeof(*msg))
		return orch_fail(err, 0, "receive from the other stage: %zd bytes, want %zu", n,
				 sizeof(*msg));
	msg->text[sizeof(msg->text) - 1] = '\0';
	return 1;
}

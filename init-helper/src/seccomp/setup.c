#include "seccomp_filter.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "../config/init_config.h"
#include "../sync/sync.h"

/* runc: no default action and no rules means no filter at all. */
static bool disabled(json_object *seccomp)
{
	const char *def = json_object_get_string(json_object_object_get(seccomp, "defaultAction"));
	json_object *list = json_object_object_get(seccomp, "syscalls");

	return (def == NULL || def[0] == '\0') &&
	       (list == NULL || !json_object_is_type(list, json_type_array) ||
		json_object_array_length(list) == 0);
}

/* The container process state, as the orchestrator wrote it for the agent. */
static int ask_state(int sync_fd, json_object **done, const char **state, struct orch_error *err)
{
	json_object *obj;

	if (sync_send_type(sync_fd, ORCH_SYNC_PROC_SECCOMP, err) < 0 ||
	    sync_wait_for(sync_fd, ORCH_SYNC_PROC_SECCOMP_DONE, done, err) < 0)
		return -1;
	obj = json_object_object_get(*done, "state");
	if (obj == NULL || !json_object_is_type(obj, json_type_object))
		return orch_fail(err, 0, "procSeccompDone carries no state object");
	*state = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
	return *state ? 0 : orch_fail(err, ENOMEM, "encode the seccomp agent state");
}

/* The state as the message body and the listener as SCM_RIGHTS, in one sendmsg (as runc). */
static int send_listener(int agent, const char *state, int listener, struct orch_error *err)
{
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} control;
	size_t len = strlen(state), sent = 0;
	struct iovec iov = { .iov_base = (void *)state, .iov_len = len };
	struct msghdr msg = {
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = control.buf,
		.msg_controllen = sizeof(control.buf),
	};
	struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
	ssize_t n;

	memset(control.buf, 0, sizeof(control.buf));
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &listener, sizeof(int));
	do
		n = sendmsg(agent, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return orch_fail(err, errno, "send the seccomp listener to the agent");
	/* The fd went with the first byte; a stream socket may take the rest in more writes. */
	for (sent = (size_t)n; sent < len; sent += (size_t)n) {
		do
			n = send(agent, state + sent, len - sent, MSG_NOSIGNAL);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return orch_fail(err, errno, "send the container state to the seccomp agent");
	}
	return 0;
}

int seccomp_setup(json_object *spec, int sync_fd, struct orch_error *err)
{
	json_object *seccomp = cfg_get(cfg_get(spec, "linux"), "seccomp");
	int agent = seccomp_agent_fd(), listener = -1, rc = 0;
	json_object *done = NULL;
	const char *state = NULL;
	bool notify;

	if (seccomp == NULL || json_object_is_type(seccomp, json_type_null) || disabled(seccomp))
		return 0;
	notify = seccomp_uses_notify(seccomp);
	if (notify && agent < 0)
		return orch_fail(err, 0, "linux.seccomp has SCMP_ACT_NOTIFY rules but no seccomp agent "
					 "(linux.seccomp.listenerPath) was connected");
	if (notify && ask_state(sync_fd, &done, &state, err) < 0) {
		json_object_put(done);
		return -1;
	}
	if (seccomp_filter_load(seccomp, &listener, err) < 0)
		rc = -1;
	else if (listener >= 0)
		rc = send_listener(agent, state, listener, err);
	json_object_put(done);
	if (listener >= 0)
		close(listener);
	/* Handed over (or never needed): nothing of the agent stays in the container. */
	if (agent >= 0)
		close(agent);
	return rc;
}

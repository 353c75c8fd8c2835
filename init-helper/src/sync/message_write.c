#include "sync.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <orch/protocol.h>

#include "fd_io.h"
#include "../log/log.h"

int sync_write(int fd, json_object *msg, struct orch_error *err)
{
	/* PLAIN: no newlines inside; strings with "\n" are escaped, so one message is one line. */
	const char *text = json_object_to_json_string_ext(msg, JSON_C_TO_STRING_PLAIN |
							     JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len;
	char *line;
	int rc;

	if (text == NULL)
		return orch_fail(err, ENOMEM, "encode sync message");
	len = strlen(text);
	line = malloc(len + 1);
	if (line == NULL)
		return orch_fail(err, ENOMEM, "encode sync message");
	memcpy(line, text, len);
	line[len] = '\n';
	/* One write per message, so concurrent writers never interleave inside a line. */
	rc = fd_write_all(fd, line, len + 1);
	if (rc < 0)
		orch_fail(err, errno, "write %s to sync socket", text);
	free(line);
	return rc;
}

int sync_send_type(int fd, const char *type, struct orch_error *err)
{
	json_object *msg = json_object_new_object();
	int rc;

	if (msg == NULL)
		return orch_fail(err, ENOMEM, "encode sync message %s", type);
	if (json_object_object_add(msg, "type", json_object_new_string(type)) < 0) {
		json_object_put(msg);
		return orch_fail(err, ENOMEM, "encode sync message %s", type);
	}
	rc = sync_write(fd, msg, err);
	json_object_put(msg);
	return rc;
}

void sync_send_error(int fd, const char *message)
{
	json_object *msg = json_object_new_object();
	struct orch_error werr;

	if (msg != NULL &&
	    json_object_object_add(msg, "type", json_object_new_string(ORCH_SYNC_PROC_ERROR)) == 0 &&
	    json_object_object_add(msg, "message", json_object_new_string(message)) == 0 &&
	    sync_write(fd, msg, &werr) == 0) {
		json_object_put(msg);
		return;
	}
	json_object_put(msg);
	/* The orchestrator no longer reads the sync socket: the log channel, else stderr. */
	orch_log(ORCH_LOG_ERROR, "%s", message);
}

#include "sync.h"

#include <string.h>

#include <orch/protocol.h>

#include "../config/init_config.h"

int sync_wait_for(int fd, const char *type, json_object **out, struct orch_error *err)
{
	json_object *msg;
	const char *got;

	if (out != NULL)
		*out = NULL;
	if (sync_read_message(fd, &msg, err) < 0)
		return orch_wrap(err, "waiting for %s: ", type);
	got = cfg_string(msg, "type");
	if (strcmp(got, type) != 0) {
		if (strcmp(got, ORCH_SYNC_PROC_ERROR) == 0) {
			const char *text = cfg_string(msg, "message");

			orch_fail(err, 0, "waiting for %s: the orchestrator failed: %s", type,
				  text ? text : "(no message)");
		} else {
			orch_fail(err, 0, "waiting for %s: unexpected sync message %s", type, got);
		}
		json_object_put(msg);
		return -1;
	}
	if (out != NULL)
		*out = msg;
	else
		json_object_put(msg);
	return 0;
}

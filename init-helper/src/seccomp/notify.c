#include "seccomp_filter.h"

#include <string.h>

/* Entry i of linux.seccomp.syscalls has action SCMP_ACT_NOTIFY. */
static bool notifies(json_object *entry)
{
	const char *action = json_object_get_string(json_object_object_get(entry, "action"));

	return action != NULL && strcmp(action, "SCMP_ACT_NOTIFY") == 0;
}

bool seccomp_uses_notify(json_object *seccomp)
{
	json_object *list = json_object_object_get(seccomp, "syscalls");
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;

	for (size_t i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(list, i);
		json_object *names = json_object_object_get(entry, "names");

		if (notifies(entry) && names && json_object_is_type(names, json_type_array) &&
		    json_object_array_length(names) > 0)
			return true;
	}
	return false;
}

int seccomp_check_notify(json_object *seccomp, uint32_t default_action, struct orch_error *err)
{
	json_object *list = json_object_object_get(seccomp, "syscalls");
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;

	/* The filter is live before the init hands the listener over: the calls it makes to do
	 * so must not wait for an agent that has no listener yet. */
	if (default_action == SCMP_ACT_NOTIFY)
		return orch_fail(err, 0, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be "
					 "used as the default action");
	for (size_t i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(list, i);
		json_object *names = json_object_object_get(entry, "names");
		size_t count = names && json_object_is_type(names, json_type_array) ?
				       json_object_array_length(names) : 0;

		for (size_t k = 0; notifies(entry) && k < count; k++) {
			const char *name = json_object_get_string(json_object_array_get_idx(names, k));

			if (name != NULL && strcmp(name, "sendmsg") == 0)
				return orch_fail(err, 0, "linux.seccomp.syscalls[%zu]: SCMP_ACT_NOTIFY "
							 "cannot be used for sendmsg (it hands the "
							 "listener to the agent)", i);
		}
	}
	if (seccomp_uses_notify(seccomp) && seccomp_api_get() < 6)
		return orch_fail(err, 0, "linux.seccomp: SCMP_ACT_NOTIFY needs libseccomp API level 6 "
					 "(libseccomp 2.5+, Linux 5.7+); this one has level %u",
				 seccomp_api_get());
	return 0;
}

#include "process.h"

#include <errno.h>
#include <stdlib.h>

int args_build(json_object *process, char ***argv, struct orch_error *err)
{
	json_object *list = cfg_get(process, "args");
	size_t n;
	char **args;

	*argv = NULL;
	if (list == NULL || !json_object_is_type(list, json_type_array) ||
	    json_object_array_length(list) == 0)
		return orch_fail(err, 0, "process.args must be a non-empty array");
	n = json_object_array_length(list);
	args = calloc(n + 1, sizeof(*args));
	if (args == NULL)
		return orch_fail(err, ENOMEM, "process.args");
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(list, i);

		if (!json_object_is_type(item, json_type_string)) {
			free(args);
			return orch_fail(err, 0, "process.args[%zu] must be a string", i);
		}
		args[i] = (char *)json_object_get_string(item);
	}
	if (args[0][0] == '\0') {
		free(args);
		return orch_fail(err, 0, "process.args[0] is empty");
	}
	*argv = args;
	return 0;
}

#include "process.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int env_build(json_object *process, char ***envp, struct orch_error *err)
{
	json_object *list = cfg_get(process, "env");
	size_t n = 0;
	char **env;

	*envp = NULL;
	if (list != NULL && !json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "process.env must be an array");
	if (list != NULL)
		n = json_object_array_length(list);
	env = calloc(n + 1, sizeof(*env));
	if (env == NULL)
		return orch_fail(err, ENOMEM, "process.env");
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(list, i);
		const char *pair;
		const char *eq;

		if (!json_object_is_type(item, json_type_string)) {
			free(env);
			return orch_fail(err, 0, "process.env[%zu] must be a string", i);
		}
		pair = json_object_get_string(item);
		eq = strchr(pair, '=');
		/* As runc: KEY=VALUE with a non-empty KEY; anything else the process could misread. */
		if (eq == NULL || eq == pair) {
			free(env);
			return orch_fail(err, 0, "process.env[%zu] \"%s\" is not KEY=VALUE", i, pair);
		}
		env[i] = (char *)pair;
	}
	*envp = env;
	return 0;
}

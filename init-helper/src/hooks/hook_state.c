#include "hooks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *hook_state_json(const struct init_config *cfg, const char *status, struct orch_error *err)
{
	json_object *state = json_object_new_object();
	json_object *annotations = cfg_get(cfg->spec, "annotations");
	const char *version = cfg_string(cfg->spec, "ociVersion");
	const char *text;
	char *copy = NULL;

	if (state == NULL) {
		orch_fail(err, ENOMEM, "encode the hook state");
		return NULL;
	}
	json_object_object_add(state, "ociVersion", json_object_new_string(version ? version : ""));
	json_object_object_add(state, "id", json_object_new_string(cfg->id));
	json_object_object_add(state, "status", json_object_new_string(status));
	json_object_object_add(state, "pid", json_object_new_int(getpid()));
	json_object_object_add(state, "bundle", json_object_new_string(cfg->bundle));
	/* As runc (omitempty): only when there are some. */
	if (annotations != NULL && json_object_is_type(annotations, json_type_object) &&
	    json_object_object_length(annotations) > 0)
		json_object_object_add(state, "annotations", json_object_get(annotations));
	text = json_object_to_json_string_ext(state, JSON_C_TO_STRING_PLAIN |
						     JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text != NULL)
		copy = strdup(text);
	json_object_put(state);
	if (copy == NULL)
		orch_fail(err, ENOMEM, "encode the hook state");
	return copy;
}

#include "hooks.h"

bool hooks_present(json_object *spec, const char *name)
{
	json_object *list = cfg_get(cfg_get(spec, "hooks"), name);

	return list != NULL && json_object_is_type(list, json_type_array) &&
	       json_object_array_length(list) > 0;
}

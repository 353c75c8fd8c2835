#include "flag_list.h"

#include <stdbool.h>
#include <string.h>

int flag_list_parse(json_object *list, const struct flag_name *names, size_t count,
		    const char *field, uint64_t *flags, struct orch_error *err)
{
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;

	*flags = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(list, i));
		bool known = false;

		for (size_t k = 0; name && k < count; k++) {
			if (strcmp(names[k].name, name) == 0) {
				*flags |= names[k].value;
				known = true;
			}
		}
		if (!known)
			return orch_fail(err, 0, "%s[%zu]: unknown flag \"%s\"", field, i, name ? name : "");
	}
	return 0;
}

/* A mount's options: the input's lines as the JSON array of strings the spec holds. */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "mounts/mounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *options = json_object_new_array();
	struct mount_opts opts;
	struct orch_error err;
	size_t start = 0;

	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			json_object_array_add(options, json_object_new_string_len((const char *)data + start, (int)(i - start)));
			start = i + 1;
		}
	}
	if (mount_options_parse(options, &opts, &err) == 0) {
		char names[256];

		mount_flags_string(opts.flags, names, sizeof(names));
		mount_options_free(&opts);
	}
	json_object_put(options);
	return 0;
}

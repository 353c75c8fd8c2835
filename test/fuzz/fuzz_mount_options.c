/* A mount's options: the input's lines as the JSON array of strings the spec holds. */
#include <stdint.h>
#include <string.h>

#include <json-c/json.h>

#include "lines_array.h"
#include "mounts/mounts.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *options = lines_array(data, size);
	struct mount_opts opts;
	struct orch_error err;

	if (mount_options_parse(options, &opts, &err) == 0) {
		char names[256];

		mount_flags_string(opts.flags, names, sizeof(names));
		mount_options_free(&opts);
	}
	json_object_put(options);
	return 0;
}

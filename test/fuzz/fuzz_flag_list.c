/* Flag lists (personality, scheduler flags): the input's lines as the JSON array of names. */
#include <stdint.h>

#include <json-c/json.h>

#include "config/flag_list.h"
#include "lines_array.h"

static const struct flag_name names[] = { { "A", 1 }, { "B_FLAG", 2 }, { "SCHED_FLAG_RESET_ON_FORK", 4 } };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *list = lines_array(data, size);
	struct orch_error err;
	uint64_t flags;

	flag_list_parse(list, names, sizeof(names) / sizeof(names[0]), "flags", &flags, &err);
	json_object_put(list);
	return 0;
}

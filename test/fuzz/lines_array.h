#ifndef ORCH_FUZZ_LINES_ARRAY_H
#define ORCH_FUZZ_LINES_ARRAY_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

/* The input's lines as a JSON array of strings, the shape of a spec's option and flag lists. */
static inline json_object *lines_array(const uint8_t *data, size_t size)
{
	json_object *list = json_object_new_array();
	size_t start = 0;

	for (size_t i = 0; i <= size; i++) {
		if (i == size || data[i] == '\n') {
			json_object_array_add(list, json_object_new_string_len((const char *)data + start, (int)(i - start)));
			start = i + 1;
		}
	}
	return list;
}

#endif

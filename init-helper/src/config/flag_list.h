#ifndef ORCH_FLAG_LIST_H
#define ORCH_FLAG_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "../error/error.h"

struct flag_name {
	const char *name;
	uint64_t value;
};

/*
 * ORs the values of a JSON array of flag names into *flags (absent list: 0). An unknown name
 * fails, naming `field` and its index.
 */
int flag_list_parse(json_object *list, const struct flag_name *names, size_t count,
		    const char *field, uint64_t *flags, struct orch_error *err);

#endif

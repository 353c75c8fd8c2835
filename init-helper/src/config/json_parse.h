#ifndef ORCH_JSON_PARSE_H
#define ORCH_JSON_PARSE_H

#include <stddef.h>
#include <json-c/json.h>

#include "../error/error.h"

/*
 * Parses exactly one JSON value from text[0..len) with json-c; anything but whitespace after it
 * is an error. `what` names the input in the error ("init config"). On success *out is owned by
 * the caller (json_object_put).
 */
int json_parse_whole(const char *text, size_t len, const char *what, json_object **out,
		     struct orch_error *err);

#endif

#include "json_parse.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

int json_parse_whole(const char *text, size_t len, const char *what, json_object **out,
		     struct orch_error *err)
{
	json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t end;

	*out = NULL;
	if (len > INT_MAX)
		return orch_fail(err, 0, "%s: %zu bytes is too long", what, len);
	tok = json_tokener_new();
	if (tok == NULL)
		return orch_fail(err, ENOMEM, "%s: json_tokener_new", what);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success || obj == NULL) {
		json_object_put(obj);
		return orch_fail(err, 0, "%s: invalid JSON: %s", what,
				 jerr == json_tokener_continue ? "unexpected end of input"
							      : json_tokener_error_desc(jerr));
	}
	for (; end < len; end++) {
		if (strchr(" \t\r\n", text[end]) == NULL) {
			json_object_put(obj);
			return orch_fail(err, 0, "%s: trailing data after the JSON value", what);
		}
	}
	*out = obj;
	return 0;
}

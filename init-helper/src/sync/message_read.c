#include "sync.h"

#include <stdlib.h>
#include <string.h>

#include "../config/init_config.h"
#include "../config/json_parse.h"

int sync_read_message(int fd, json_object **msg, struct orch_error *err)
{
	json_object *obj;
	char *line;
	int rc;

	*msg = NULL;
	if (sync_read_line(fd, &line, err) < 0)
		return -1;
	rc = json_parse_whole(line, strlen(line), "sync message", &obj, err);
	free(line);
	if (rc < 0)
		return -1;
	if (cfg_string(obj, "type") == NULL) {
		json_object_put(obj);
		return orch_fail(err, 0, "sync message: not an object with a string \"type\"");
	}
	*msg = obj;
	return 0;
}

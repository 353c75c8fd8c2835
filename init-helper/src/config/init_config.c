#include "init_config.h"

#include <string.h>

#include <orch/protocol.h>

#include "json_parse.h"

json_object *cfg_get(json_object *obj, const char *key)
{
	json_object *value = NULL;

	if (obj == NULL || !json_object_is_type(obj, json_type_object))
		return NULL;
	if (!json_object_object_get_ex(obj, key, &value))
		return NULL;
	return value;
}

const char *cfg_string(json_object *obj, const char *key)
{
	json_object *value = cfg_get(obj, key);

	if (value == NULL || !json_object_is_type(value, json_type_string))
		return NULL;
	return json_object_get_string(value);
}

bool cfg_bool(json_object *obj, const char *key, bool fallback)
{
	json_object *value = cfg_get(obj, key);

	if (value == NULL || !json_object_is_type(value, json_type_boolean))
		return fallback;
	return json_object_get_boolean(value);
}

long long cfg_int(json_object *obj, const char *key, long long fallback)
{
	json_object *value = cfg_get(obj, key);

	if (value == NULL || !json_object_is_type(value, json_type_int))
		return fallback;
	return json_object_get_int64(value);
}

/* A present key of the wrong type is an orchestrator bug: say which field instead of defaulting. */
static int check_type(json_object *root, const char *key, json_type type, bool required,
		      struct orch_error *err)
{
	json_object *value = cfg_get(root, key);

	if (value == NULL || json_object_is_type(value, json_type_null)) {
		if (required)
			return orch_fail(err, 0, "init config: missing \"%s\"", key);
		return 0;
	}
	if (!json_object_is_type(value, type))
		return orch_fail(err, 0, "init config: \"%s\" must be a %s", key,
				 json_type_to_name(type));
	return 0;
}

int init_config_parse(const char *json, struct init_config *cfg, struct orch_error *err)
{
	static const struct {
		const char *key;
		json_type type;
		bool required;
	} fields[] = {
		{ "type", json_type_string, true },
		{ "id", json_type_string, true },
		{ "bundle", json_type_string, true },
		{ "rootfs", json_type_string, true },
		{ "fifoPath", json_type_string, false },
		{ "foreground", json_type_boolean, false },
		{ "noPivot", json_type_boolean, false },
		{ "noNewKeyring", json_type_boolean, false },
		{ "noSubreaper", json_type_boolean, false },
		{ "preserveFds", json_type_int, false },
		{ "spec", json_type_object, true },
	};
	json_object *root;
	long long preserve;

	memset(cfg, 0, sizeof(*cfg));
	if (json_parse_whole(json, strlen(json), "init config", &root, err) < 0)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return orch_fail(err, 0, "init config: not a JSON object");
	}
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (check_type(root, fields[i].key, fields[i].type, fields[i].required, err) < 0) {
			json_object_put(root);
			return -1;
		}
	}

	cfg->root = root;
	cfg->spec = cfg_get(root, "spec");
	cfg->type = cfg_string(root, "type");
	cfg->id = cfg_string(root, "id");
	cfg->bundle = cfg_string(root, "bundle");
	cfg->rootfs = cfg_string(root, "rootfs");
	cfg->fifo_path = cfg_string(root, "fifoPath");
	cfg->foreground = cfg_bool(root, "foreground", false);
	cfg->no_pivot = cfg_bool(root, "noPivot", false);
	cfg->no_new_keyring = cfg_bool(root, "noNewKeyring", false);
	cfg->no_subreaper = cfg_bool(root, "noSubreaper", false);
	preserve = cfg_int(root, "preserveFds", 0);

	if (strcmp(cfg->type, ORCH_INIT_TYPE_STANDARD) != 0 &&
	    strcmp(cfg->type, ORCH_INIT_TYPE_SETNS) != 0)
		goto invalid_type;
	/* The standard init blocks on the exec fifo; without it `start` could not release it. */
	if (strcmp(cfg->type, ORCH_INIT_TYPE_STANDARD) == 0 &&
	    (cfg->fifo_path == NULL || cfg->fifo_path[0] != '/')) {
		orch_fail(err, 0, "init config: \"fifoPath\" must be an absolute path");
		goto fail;
	}
	if (cfg->rootfs[0] != '/') {
		orch_fail(err, 0, "init config: \"rootfs\" must be an absolute path");
		goto fail;
	}
	/* fds 3 .. 3+N-1 must fit below any fd number the kernel hands out. */
	if (preserve < 0 || preserve > 1024 * 1024) {
		orch_fail(err, 0, "init config: \"preserveFds\" out of range: %lld", preserve);
		goto fail;
	}
	cfg->preserve_fds = (int)preserve;
	return 0;

invalid_type:
	orch_fail(err, 0, "init config: unknown \"type\" \"%s\"", cfg->type);
fail:
	json_object_put(root);
	memset(cfg, 0, sizeof(*cfg));
	return -1;
}

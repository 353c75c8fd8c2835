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

/* protocol.json's type names -> json-c's; "integer" is json_type_int. */
static json_type json_type_named(const char *name)
{
	if (strcmp(name, "string") == 0)
		return json_type_string;
	if (strcmp(name, "boolean") == 0)
		return json_type_boolean;
	if (strcmp(name, "integer") == 0)
		return json_type_int;
	return json_type_object;
}

/* A field the protocol does not name is an orchestrator of another build: refused, not ignored. */
static int check_known(json_object *root, struct orch_error *err)
{
	json_object_object_foreach(root, key, value) {
		bool known = false;

		(void)value;
		for (size_t i = 0; i < ORCH_INIT_CONFIG_FIELDS && !known; i++)
			known = strcmp(orch_init_config_fields[i].key, key) == 0;
		if (!known)
			return orch_fail(err, 0, "init config: unknown field \"%s\"", key);
	}
	return 0;
}

int init_config_parse(const char *json, struct init_config *cfg, struct orch_error *err)
{
	json_object *root;
	long long preserve;

	memset(cfg, 0, sizeof(*cfg));
	if (json_parse_whole(json, strlen(json), "init config", &root, err) < 0)
		return -1;
	if (!json_object_is_type(root, json_type_object)) {
		json_object_put(root);
		return orch_fail(err, 0, "init config: not a JSON object");
	}
	/* The fields are shared/protocol.json's, generated into orch_init_config_fields. */
	for (size_t i = 0; i < ORCH_INIT_CONFIG_FIELDS; i++) {
		const struct orch_init_config_field *f = &orch_init_config_fields[i];

		if (check_type(root, f->key, json_type_named(f->type), f->required != 0, err) < 0) {
			json_object_put(root);
			return -1;
		}
	}
	if (check_known(root, err) < 0) {
		json_object_put(root);
		return -1;
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

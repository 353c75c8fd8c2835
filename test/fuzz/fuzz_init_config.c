/* The init config JSON line and the spec inside it, through the parsers the init runs on it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/init_config.h"
#include "mounts/mounts.h"
#include "process/process.h"
#include "rootfs/sysctl_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct init_config cfg;
	struct orch_error err;
	char *text = malloc(size + 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (init_config_parse(text, &cfg, &err) == 0) {
		json_object *process = cfg_get(cfg.spec, "process");
		json_object *mounts = cfg_get(cfg.spec, "mounts");
		json_object *sysctl = cfg_get(cfg_get(cfg.spec, "linux"), "sysctl");
		struct user_ids ids;

		cpu_affinity_check(process, &err);
		if (user_parse(process, &ids, &err) == 0)
			free(ids.groups);
		if (mounts && json_object_is_type(mounts, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(mounts); i++) {
				struct mount_opts opts;

				if (mount_options_parse(cfg_get(json_object_array_get_idx(mounts, i), "options"), &opts, &err) == 0)
					mount_options_free(&opts);
			}
		}
		if (sysctl && json_object_is_type(sysctl, json_type_object)) {
			json_object_object_foreach(sysctl, key, value) {
				const char *ns;

				(void)value;
				sysctl_key_check(key, &ns, &err);
			}
		}
		json_object_put(cfg.root);
	}
	free(text);
	return 0;
}

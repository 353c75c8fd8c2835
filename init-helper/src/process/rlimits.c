#include "process.h"

#include <errno.h>
#include <string.h>
#include <sys/resource.h>

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
};

/* OCI limits are uint64; json-c keeps values above INT64_MAX as unsigned. */
static int limit_value(json_object *entry, const char *type, const char *key, rlim_t *out,
		       struct orch_error *err)
{
	json_object *v = cfg_get(entry, key);

	if (v == NULL || !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0)
		return orch_fail(err, 0, "process.rlimits %s: \"%s\" must be a non-negative integer",
				 type, key);
	*out = (rlim_t)json_object_get_uint64(v);
	return 0;
}

int rlimits_apply(json_object *process, struct orch_error *err)
{
	json_object *list = cfg_get(process, "rlimits");
	size_t n;

	if (list == NULL)
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "process.rlimits must be an array");
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		json_object *entry = json_object_array_get_idx(list, i);
		const char *type = cfg_string(entry, "type");
		struct rlimit rl;
		int resource = -1;

		if (type == NULL)
			return orch_fail(err, 0, "process.rlimits[%zu]: missing \"type\"", i);
		for (size_t k = 0; k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
			if (strcmp(rlimit_names[k].name, type) == 0)
				resource = rlimit_names[k].resource;
		if (resource < 0)
			return orch_fail(err, 0, "process.rlimits: unknown rlimit type \"%s\"", type);
		if (limit_value(entry, type, "hard", &rl.rlim_max, err) < 0 ||
		    limit_value(entry, type, "soft", &rl.rlim_cur, err) < 0)
			return -1;
		if (setrlimit(resource, &rl) < 0)
			return orch_fail(err, errno, "setrlimit %s soft %llu hard %llu", type,
					 (unsigned long long)rl.rlim_cur,
					 (unsigned long long)rl.rlim_max);
	}
	return 0;
}

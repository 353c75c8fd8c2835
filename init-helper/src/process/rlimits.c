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

/* One entry of process.rlimits, checked: its resource and limits. */
static int parse_entry(json_object *entry, size_t i, const char **type, int *resource,
		       struct rlimit *rl, struct orch_error *err)
{
	*type = cfg_string(entry, "type");
	*resource = -1;
	if (*type == NULL)
		return orch_fail(err, 0, "process.rlimits[%zu]: missing \"type\"", i);
	for (size_t k = 0; k < sizeof(rlimit_names) / sizeof(rlimit_names[0]); k++)
		if (strcmp(rlimit_names[k].name, *type) == 0)
			*resource = rlimit_names[k].resource;
	if (*resource < 0)
		return orch_fail(err, 0, "process.rlimits: unknown rlimit type \"%s\"", *type);
	if (limit_value(entry, *type, "hard", &rl->rlim_max, err) < 0 ||
	    limit_value(entry, *type, "soft", &rl->rlim_cur, err) < 0)
		return -1;
	return 0;
}

/* *list: process.rlimits, NULL when absent. */
static int rlimit_list(json_object *process, json_object **list, struct orch_error *err)
{
	*list = cfg_get(process, "rlimits");
	if (*list != NULL && !json_object_is_type(*list, json_type_array))
		return orch_fail(err, 0, "process.rlimits must be an array");
	return 0;
}

int rlimits_apply(json_object *process, struct orch_error *err)
{
	json_object *list;
	size_t n;

	if (rlimit_list(process, &list, err) < 0)
		return -1;
	n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		const char *type;
		struct rlimit rl;
		int resource;

		if (parse_entry(json_object_array_get_idx(list, i), i, &type, &resource, &rl, err) < 0)
			return -1;
		if (setrlimit(resource, &rl) < 0)
			return orch_fail(err, errno, "setrlimit %s soft %llu hard %llu", type,
					 (unsigned long long)rl.rlim_cur,
					 (unsigned long long)rl.rlim_max);
	}
	return 0;
}

void rlimits_raise_hard(json_object *process)
{
	json_object *list;
	struct orch_error ignored;
	size_t n;

	if (rlimit_list(process, &list, &ignored) < 0)
		return;
	n = list ? json_object_array_length(list) : 0;
	for (size_t i = 0; i < n; i++) {
		struct rlimit want, now;
		const char *type;
		int resource;

		if (parse_entry(json_object_array_get_idx(list, i), i, &type, &resource, &want,
				&ignored) < 0 ||
		    getrlimit(resource, &now) < 0 || want.rlim_max <= now.rlim_max)
			continue;
		/* Only the hard limit moves: the soft one, which is what binds, stays as it was. */
		now.rlim_max = want.rlim_max;
		(void)setrlimit(resource, &now); /* refused: the init reports it with context */
	}
}

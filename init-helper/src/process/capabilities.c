/*
 * The five capability sets of process.capabilities, applied with libcap. The process never keeps
 * more than the configured sets: a set that is not listed (or no process.capabilities at all) is
 * empty, as with runc.
 */
#include "process.h"
#include "../log/log.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>

static const char *const set_names[] = { "bounding", "effective", "permitted", "inheritable",
					 "ambient" };

static uint64_t *set_of(struct caps_sets *caps, size_t i)
{
	uint64_t *sets[] = { &caps->bounding, &caps->effective, &caps->permitted,
			     &caps->inheritable, &caps->ambient };
	return sets[i];
}

/* Number of capabilities the running kernel knows (CAP_LAST_CAP + 1), at most 64. */
static cap_value_t cap_limit(void)
{
	cap_value_t max = (cap_value_t)cap_max_bits();

	return max > 64 ? 64 : max;
}

/* Spelled as the spec spells them: "CAP_" and upper-case letters, digits, underscores. */
static bool well_formed(const char *name)
{
	if (strncmp(name, "CAP_", 4) != 0 || name[4] == '\0')
		return false;
	for (const char *p = name + 4; *p; p++)
		if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
			return false;
	return true;
}

/*
 * A name that is no capability at all (a typo, "CAP_TEST") is an error: the runtime-spec says a
 * value that cannot be mapped to a kernel interface MUST be an error. A real capability that this
 * kernel predates is skipped with a warning, so configs written for newer kernels still run.
 */
static int parse_set(json_object *list, const char *set, uint64_t *mask, struct orch_error *err)
{
	size_t n;

	*mask = 0;
	if (list == NULL || json_object_is_type(list, json_type_null))
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "process.capabilities.%s must be an array", set);
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(list, i);
		const char *name;
		cap_value_t cap;

		if (!json_object_is_type(item, json_type_string))
			return orch_fail(err, 0, "process.capabilities.%s[%zu] must be a string", set, i);
		name = json_object_get_string(item);
		if (!well_formed(name) || cap_from_name(name, &cap) < 0 || cap < 0)
			return orch_fail(err, 0, "process.capabilities.%s[%zu]: unknown capability \"%s\"",
					 set, i, name);
		if (cap >= cap_limit()) {
			orch_log(ORCH_LOG_WARNING, "capability %s (process.capabilities.%s) is not supported by this kernel, skipped",
				 name, set);
			continue;
		}
		*mask |= UINT64_C(1) << cap;
	}
	return 0;
}

int caps_parse(json_object *process, struct caps_sets *caps, struct orch_error *err)
{
	json_object *obj = cfg_get(process, "capabilities");

	memset(caps, 0, sizeof(*caps));
	if (obj == NULL || json_object_is_type(obj, json_type_null))
		return 0;
	if (!json_object_is_type(obj, json_type_object))
		return orch_fail(err, 0, "process.capabilities must be an object");
	for (size_t i = 0; i < sizeof(set_names) / sizeof(set_names[0]); i++)
		if (parse_set(cfg_get(obj, set_names[i]), set_names[i], set_of(caps, i), err) < 0)
			return -1;
	return 0;
}

static int cap_error(struct orch_error *err, int errnum, const char *what, cap_value_t cap)
{
	char *name = cap_to_name(cap);

	orch_fail(err, errnum, "%s %s", what, name ? name : "?");
	cap_free(name);
	return -1;
}

int caps_apply_bounding(const struct caps_sets *caps, struct orch_error *err)
{
	for (cap_value_t cap = 0; cap < cap_limit(); cap++) {
		if (caps->bounding & (UINT64_C(1) << cap))
			continue;
		/* Already absent (CAP_SYS_RESOURCE on some hosts): nothing to drop. */
		if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0)
			continue;
		if (cap_drop_bound(cap) < 0)
			return cap_error(err, errno, "drop from the bounding set:", cap);
	}
	return 0;
}

static int set_flags(cap_t c, cap_flag_t flag, uint64_t mask, struct orch_error *err)
{
	for (cap_value_t cap = 0; cap < cap_limit(); cap++) {
		if (!(mask & (UINT64_C(1) << cap)))
			continue;
		if (cap_set_flag(c, flag, 1, &cap, CAP_SET) < 0)
			return cap_error(err, errno, "cap_set_flag", cap);
	}
	return 0;
}

int caps_apply(const struct caps_sets *caps, struct orch_error *err)
{
	cap_t c;

	c = cap_init(); /* all clear: whatever is not listed is dropped */
	if (c == NULL)
		return orch_fail(err, errno, "cap_init");
	/* Inheritable is exactly the configured list, empty by default (CVE-2022-29162). */
	if (set_flags(c, CAP_EFFECTIVE, caps->effective, err) < 0 ||
	    set_flags(c, CAP_PERMITTED, caps->permitted, err) < 0 ||
	    set_flags(c, CAP_INHERITABLE, caps->inheritable, err) < 0) {
		cap_free(c);
		return -1;
	}
	if (cap_set_proc(c) < 0) {
		int saved = errno;

		cap_free(c);
		return orch_fail(err, saved, "set effective, permitted and inheritable capabilities");
	}
	cap_free(c);
	/* Inherited ambient caps must not survive; EINVAL: a kernel without ambient caps. */
	if (cap_reset_ambient() < 0 && errno != EINVAL)
		return orch_fail(err, errno, "clear the ambient capabilities");
	/*
	 * The kernel only raises an ambient cap that is permitted and inheritable. runc's default
	 * spec lists ambient caps without inheritable ones, so those are skipped quietly (stderr
	 * is the container's); any other refusal is a warning, as with runc.
	 */
	for (cap_value_t cap = 0; cap < cap_limit(); cap++) {
		uint64_t bit = UINT64_C(1) << cap;

		if (!(caps->ambient & bit) || !(caps->permitted & caps->inheritable & bit))
			continue;
		if (cap_set_ambient(cap, CAP_SET) < 0) {
			char *name = cap_to_name(cap);

			orch_log(ORCH_LOG_WARNING, "raise ambient capability %s: %s", name ? name : "?", strerror(errno));
			cap_free(name);
		}
	}
	return 0;
}

#include "seccomp_filter.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MAX_ARGS 6 /* a syscall has at most six arguments */

static int parse_args(json_object *args, const char *at, struct scmp_arg_cmp *conds,
		      unsigned int *n, bool *repeats, struct orch_error *err)
{
	unsigned int seen[MAX_ARGS] = { 0 };
	size_t len;

	*n = 0;
	*repeats = false;
	if (args == NULL || json_object_is_type(args, json_type_null))
		return 0;
	if (!json_object_is_type(args, json_type_array))
		return orch_fail(err, 0, "%s.args must be an array", at);
	len = json_object_array_length(args);
	if (len > MAX_ARGS * 4)
		return orch_fail(err, 0, "%s.args: too many conditions (%zu)", at, len);
	for (size_t i = 0; i < len; i++) {
		json_object *arg = json_object_array_get_idx(args, i);
		json_object *index = json_object_object_get(arg, "index");
		json_object *two = json_object_object_get(arg, "valueTwo");
		int64_t idx = json_object_get_int64(index);

		if (!json_object_is_type(index, json_type_int) || idx < 0 || idx >= MAX_ARGS)
			return orch_fail(err, 0, "%s.args[%zu].index must be 0..5", at, i);
		if (seccomp_operator(json_object_get_string(json_object_object_get(arg, "op")),
				     &conds[i].op, err) < 0)
			return orch_wrap(err, "%s.args[%zu]: ", at, i);
		conds[i].arg = (unsigned int)idx;
		conds[i].datum_a = json_object_get_uint64(json_object_object_get(arg, "value"));
		conds[i].datum_b = two ? json_object_get_uint64(two) : 0;
		if (++seen[idx] > 1)
			*repeats = true;
	}
	*n = (unsigned int)len;
	return 0;
}

static int add_rule(scmp_filter_ctx ctx, uint32_t action, int nr, const char *name,
		    struct scmp_arg_cmp *conds, unsigned int n, bool repeats, struct orch_error *err)
{
	int rc;

	if (!repeats) {
		rc = seccomp_rule_add_array(ctx, action, nr, n, conds);
		if (rc < 0)
			return orch_fail(err, -rc, "add seccomp rule for %s", name);
		return 0;
	}
	/*
	 * Two conditions on one argument cannot both hold in one libseccomp rule; as runc, each
	 * condition becomes a rule of its own (any of them matching triggers the action).
	 */
	for (unsigned int i = 0; i < n; i++) {
		rc = seccomp_rule_add_array(ctx, action, nr, 1, &conds[i]);
		if (rc < 0)
			return orch_fail(err, -rc, "add seccomp rule for %s (condition %u)", name, i);
	}
	return 0;
}

static int add_entry(scmp_filter_ctx ctx, json_object *entry, size_t i, uint32_t default_action,
		     struct orch_error *err)
{
	json_object *names = json_object_object_get(entry, "names");
	struct scmp_arg_cmp conds[MAX_ARGS * 4];
	unsigned int n;
	bool repeats;
	uint32_t action;
	char at[64];
	size_t count;

	snprintf(at, sizeof(at), "linux.seccomp.syscalls[%zu]", i);
	if (seccomp_action(json_object_get_string(json_object_object_get(entry, "action")),
			   json_object_object_get(entry, "errnoRet"), &action, err) < 0)
		return orch_wrap(err, "%s: ", at);
	if (parse_args(json_object_object_get(entry, "args"), at, conds, &n, &repeats, err) < 0)
		return -1;
	/* A rule that does what the default does is redundant (and libseccomp refuses it). */
	if (action == default_action)
		return 0;
	if (names == NULL || !json_object_is_type(names, json_type_array))
		return orch_fail(err, 0, "%s.names must be an array", at);
	count = json_object_array_length(names);
	for (size_t k = 0; k < count; k++) {
		const char *name = json_object_get_string(json_object_array_get_idx(names, k));
		int nr;

		if (name == NULL || name[0] == '\0')
			return orch_fail(err, 0, "%s.names[%zu] is empty", at, k);
		/* A syscall this libseccomp does not know cannot be on this kernel: skip, as runc. */
		nr = seccomp_syscall_resolve_name(name);
		if (nr == __NR_SCMP_ERROR)
			continue;
		if (add_rule(ctx, action, nr, name, conds, n, repeats, err) < 0)
			return orch_wrap(err, "%s: ", at);
	}
	return 0;
}

int seccomp_add_rules(scmp_filter_ctx ctx, json_object *seccomp, uint32_t default_action,
		      struct orch_error *err)
{
	json_object *list = json_object_object_get(seccomp, "syscalls");
	size_t n;

	if (list == NULL || json_object_is_type(list, json_type_null))
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "linux.seccomp.syscalls must be an array");
	n = json_object_array_length(list);
	for (size_t i = 0; i < n; i++)
		if (add_entry(ctx, json_object_array_get_idx(list, i), i, default_action, err) < 0)
			return -1;
	return 0;
}

#include "seccomp_filter.h"

#include <errno.h>

/* libseccomp <= 2.5.4 mishandles the binary tree with no rules; runc's threshold. */
#define TREE_THRESHOLD 32

static size_t rule_count(json_object *seccomp)
{
	json_object *list = json_object_object_get(seccomp, "syscalls");
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		json_object *names = json_object_object_get(json_object_array_get_idx(list, i), "names");

		if (names && json_object_is_type(names, json_type_array))
			count += json_object_array_length(names);
	}
	return count;
}

static int build(scmp_filter_ctx ctx, json_object *seccomp, uint32_t default_action,
		 struct orch_error *err)
{
	int rc;

	/* no_new_privs is process.noNewPrivileges' business, never a side effect of seccomp. */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (rc < 0)
		return orch_fail(err, -rc, "seccomp: clear the no_new_privs attribute");
	if (seccomp_add_arches(ctx, seccomp, err) < 0 || seccomp_set_flags(ctx, seccomp, err) < 0)
		return -1;
	/* A long allowlist (Docker's has ~350 names) is faster as a tree than a linear list. */
	if (rule_count(seccomp) > TREE_THRESHOLD)
		(void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	return seccomp_add_rules(ctx, seccomp, default_action, err);
}

int seccomp_filter_load(json_object *seccomp, int *listener, struct orch_error *err)
{
	uint32_t default_action;
	scmp_filter_ctx ctx;
	int rc;

	*listener = -1;
	if (seccomp_action(json_object_get_string(json_object_object_get(seccomp, "defaultAction")),
			   json_object_object_get(seccomp, "defaultErrnoRet"), &default_action,
			   err) < 0)
		return orch_wrap(err, "linux.seccomp.defaultAction: ");
	if (seccomp_check_notify(seccomp, default_action, err) < 0)
		return -1;
	ctx = seccomp_init(default_action);
	if (ctx == NULL)
		return orch_fail(err, 0, "seccomp_init: cannot create a filter");
	if (build(ctx, seccomp, default_action, err) < 0) {
		seccomp_release(ctx);
		return -1;
	}
	rc = seccomp_load_with_stub(ctx, seccomp, default_action, seccomp_uses_notify(seccomp),
				    listener, err);
	seccomp_release(ctx);
	return rc;
}

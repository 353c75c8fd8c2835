#include "seccomp_filter.h"

#include <errno.h>
#include <string.h>

/* errnoRet, or EPERM when the config gives none (runc's default for ERRNO and TRACE). */
static int errno_value(json_object *errno_ret, const char *action, uint16_t *out,
		       struct orch_error *err)
{
	int64_t v;

	if (errno_ret == NULL) {
		*out = EPERM;
		return 0;
	}
	v = json_object_get_int64(errno_ret);
	if (!json_object_is_type(errno_ret, json_type_int) || v < 0 || v > 0xffff)
		return orch_fail(err, 0, "%s: errnoRet must be an integer in 0..65535", action);
	*out = (uint16_t)v;
	return 0;
}

int seccomp_action(const char *name, json_object *errno_ret, uint32_t *action,
		   struct orch_error *err)
{
	uint16_t code;

	if (name == NULL)
		return orch_fail(err, 0, "missing seccomp action");
	/* SCMP_ACT_KILL kills the thread, as in runc (the filter's single thread is the process). */
	if (strcmp(name, "SCMP_ACT_KILL") == 0 || strcmp(name, "SCMP_ACT_KILL_THREAD") == 0)
		*action = SCMP_ACT_KILL_THREAD;
	else if (strcmp(name, "SCMP_ACT_KILL_PROCESS") == 0)
		*action = SCMP_ACT_KILL_PROCESS;
	else if (strcmp(name, "SCMP_ACT_TRAP") == 0)
		*action = SCMP_ACT_TRAP;
	else if (strcmp(name, "SCMP_ACT_ALLOW") == 0)
		*action = SCMP_ACT_ALLOW;
	else if (strcmp(name, "SCMP_ACT_LOG") == 0)
		*action = SCMP_ACT_LOG;
	else if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		*action = SCMP_ACT_NOTIFY;
	else if (strcmp(name, "SCMP_ACT_ERRNO") == 0 || strcmp(name, "SCMP_ACT_TRACE") == 0) {
		if (errno_value(errno_ret, name, &code, err) < 0)
			return -1;
		*action = strcmp(name, "SCMP_ACT_ERRNO") == 0 ? SCMP_ACT_ERRNO(code) :
								SCMP_ACT_TRACE(code);
	} else
		return orch_fail(err, 0, "unknown seccomp action \"%s\"", name);
	return 0;
}

int seccomp_operator(const char *name, enum scmp_compare *op, struct orch_error *err)
{
	static const struct {
		const char *name;
		enum scmp_compare op;
	} ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};

	for (size_t i = 0; name != NULL && i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (strcmp(ops[i].name, name) == 0) {
			*op = ops[i].op;
			return 0;
		}
	}
	return orch_fail(err, 0, "unknown seccomp operator \"%s\"", name ? name : "");
}

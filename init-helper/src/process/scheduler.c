/* process.scheduler: sched_setattr(2) on the init, inherited by the process across execve. */
#include "process.h"
#include "../config/flag_list.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* struct sched_attr of sched_setattr(2) (SCHED_ATTR_SIZE_VER0); glibc 2.36 has no wrapper. */
struct orch_sched_attr {
	uint32_t size;
	uint32_t sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime;
	uint64_t sched_deadline;
	uint64_t sched_period;
};

static const struct {
	const char *name;
	uint32_t value;
} policies[] = {
	{ "SCHED_OTHER", 0 }, { "SCHED_FIFO", 1 }, { "SCHED_RR", 2 },	  { "SCHED_BATCH", 3 },
	{ "SCHED_ISO", 4 },   { "SCHED_IDLE", 5 }, { "SCHED_DEADLINE", 6 },
};

static const struct flag_name flag_names[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", 0x01 },  { "SCHED_FLAG_RECLAIM", 0x02 },
	{ "SCHED_FLAG_DL_OVERRUN", 0x04 },     { "SCHED_FLAG_KEEP_POLICY", 0x08 },
	{ "SCHED_FLAG_KEEP_PARAMS", 0x10 },    { "SCHED_FLAG_UTIL_CLAMP_MIN", 0x20 },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", 0x40 },
};

int scheduler_apply(json_object *process, struct orch_error *err)
{
	json_object *sched = cfg_get(process, "scheduler");
	struct orch_sched_attr attr;
	const char *policy;
	bool known = false;

	if (sched == NULL)
		return 0;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	policy = cfg_string(sched, "policy");
	for (size_t k = 0; policy && k < sizeof(policies) / sizeof(policies[0]); k++) {
		if (strcmp(policies[k].name, policy) == 0) {
			attr.sched_policy = policies[k].value;
			known = true;
		}
	}
	if (!known)
		return orch_fail(err, 0, "process.scheduler.policy: unknown policy \"%s\"",
				 policy ? policy : "");
	if (flag_list_parse(cfg_get(sched, "flags"), flag_names, sizeof(flag_names) / sizeof(flag_names[0]),
			    "process.scheduler.flags", &attr.sched_flags, err) < 0)
		return -1;
	attr.sched_nice = (int32_t)cfg_int(sched, "nice", 0);
	attr.sched_priority = (uint32_t)cfg_int(sched, "priority", 0);
	attr.sched_runtime = (uint64_t)cfg_int(sched, "runtime", 0);
	attr.sched_deadline = (uint64_t)cfg_int(sched, "deadline", 0);
	attr.sched_period = (uint64_t)cfg_int(sched, "period", 0);
	if (syscall(SYS_sched_setattr, 0, &attr, 0) < 0)
		return orch_fail(err, errno, "process.scheduler: sched_setattr %s", policy);
	return 0;
}

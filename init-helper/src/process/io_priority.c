/* process.ioPriority: ioprio_set(2) on the init, inherited by the process across execve. */
#include "process.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

int io_priority_apply(json_object *process, struct orch_error *err)
{
	static const char *const classes[] = { NULL, "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
					       "IOPRIO_CLASS_IDLE" };
	json_object *ioprio = cfg_get(process, "ioPriority");
	const char *class;
	long long priority;
	int value = -1;

	if (ioprio == NULL)
		return 0;
	class = cfg_string(ioprio, "class");
	for (int k = 1; class && k < 4; k++)
		if (strcmp(classes[k], class) == 0)
			value = k;
	if (value < 0)
		return orch_fail(err, 0, "process.ioPriority.class: unknown class \"%s\"",
				 class ? class : "");
	priority = cfg_int(ioprio, "priority", 0);
	if (priority < 0 || priority > 7)
		return orch_fail(err, 0, "process.ioPriority.priority must be 0..7 (got %lld)",
				 priority);
	/* who 0: the calling process */
	if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
		    (value << IOPRIO_CLASS_SHIFT) | (int)priority) < 0)
		return orch_fail(err, errno, "process.ioPriority: ioprio_set %s %lld", class, priority);
	return 0;
}

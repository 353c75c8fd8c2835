#include "process.h"

#include <errno.h>
#include <sys/prctl.h>

int no_new_privs_apply(json_object *process, struct orch_error *err)
{
	if (!cfg_bool(process, "noNewPrivileges", false))
		return 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	return 0;
}

#include "lsm.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "../config/init_config.h"

int apparmor_apply(json_object *process, struct orch_error *err)
{
	const char *profile = cfg_string(process, "apparmorProfile");
	char value[4096];
	struct stat st;

	if (profile == NULL || profile[0] == '\0')
		return 0;
	snprintf(value, sizeof(value), "exec %s", profile);
	/*
	 * Linux 5.8+ gives AppArmor its own attr/apparmor/ directory when the module is loaded.
	 * Without it only the shared attr/exec is left, which refuses "exec NAME" unless AppArmor
	 * is the active LSM. Asked from inside the container, as runc does: securityfs, where the
	 * host would say "enabled", is not mounted there.
	 */
	if (stat("/proc/thread-self/attr/apparmor/exec", &st) == 0)
		return proc_attr_write("apparmor/exec", value, err) < 0 ?
			       orch_wrap(err, "process.apparmorProfile \"%s\": ", profile) : 0;
	if (proc_attr_write("exec", value, err) < 0)
		return orch_wrap(err, "process.apparmorProfile \"%s\": AppArmor is not enabled on "
				      "this host: ", profile);
	return 0;
}

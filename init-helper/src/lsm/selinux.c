#include "lsm.h"

#include "../config/init_config.h"

/*
 * The orchestrator already refuses a label on a host without SELinux (as runc's validator);
 * here a kernel that refuses the label still fails the container rather than running it
 * unlabelled.
 */
static int write_label(json_object *process, const char *attr, struct orch_error *err)
{
	const char *label = cfg_string(process, "selinuxLabel");

	if (label == NULL || label[0] == '\0')
		return 0;
	if (proc_attr_write(attr, label, err) < 0)
		return orch_wrap(err, "process.selinuxLabel \"%s\": SELinux is disabled or refused "
				      "the label: ", label);
	return 0;
}

int selinux_apply_keyring(json_object *process, struct orch_error *err)
{
	return write_label(process, "keycreate", err);
}

int selinux_apply_exec(json_object *process, struct orch_error *err)
{
	return write_label(process, "exec", err);
}

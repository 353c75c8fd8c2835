#ifndef ORCH_LSM_H
#define ORCH_LSM_H

#include <json-c/json.h>

#include "../error/error.h"

/*
 * Linux security modules for the container process, applied on the next execve. Asking for a
 * profile or label on a host whose LSM is not enabled is an error: the container would run
 * unconfined while its config says otherwise. Each returns 0, or -1 with err set.
 */

/* apparmor.c: process.apparmorProfile, as aa_change_onexec. */
int apparmor_apply(json_object *process, struct orch_error *err);

/* selinux.c: process.selinuxLabel, as setexeccon (and the keyring label, before it is made). */
int selinux_apply_exec(json_object *process, struct orch_error *err);
int selinux_apply_keyring(json_object *process, struct orch_error *err);

/* proc_attr.c: writes value to /proc/thread-self/attr/<name> (the file must be on procfs). */
int proc_attr_write(const char *name, const char *value, struct orch_error *err);

#endif

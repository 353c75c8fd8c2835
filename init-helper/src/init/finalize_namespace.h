#ifndef ORCH_FINALIZE_NAMESPACE_H
#define ORCH_FINALIZE_NAMESPACE_H

#include <stdbool.h>

#include "../config/init_config.h"
#include "../process/process.h"

/*
 * runc's finalizeNamespace, shared by the standard and the setns init: the cwd (entered as root,
 * and again after the user switch if only the process's user can reach it), the SELinux exec
 * label, the seccomp filter when it must load before the capability drop (no no_new_privs),
 * the bounding set, stdio ownership, the user switch, then the capabilities for good.
 */
int finalize_namespace(const struct init_config *cfg, int sync_fd, json_object *process,
		       const struct caps_sets *caps, const struct user_ids *ids, bool groups_allowed,
		       struct orch_error *err);

#endif

#include "finalize_namespace.h"

#include "../console/console.h"
#include "../lsm/lsm.h"
#include "../seccomp/seccomp_filter.h"

int finalize_namespace(const struct init_config *cfg, int sync_fd, json_object *process,
		       const struct caps_sets *caps, const struct user_ids *ids, bool groups_allowed,
		       struct orch_error *err)
{
	const char *cwd = cfg_string(process, "cwd");
	bool nnp = cfg_bool(process, "noNewPrivileges", false);
	bool cwd_denied;

	/* Still root and before any seccomp filter (whose rules may refuse getcwd). */
	if (cwd_enter(cwd, &cwd_denied, err) < 0 && !cwd_denied)
		return -1;
	if (selinux_apply_exec(process, err) < 0)
		return -1;
	/* Without no_new_privs loading a filter takes CAP_SYS_ADMIN: before the drop. */
	if (!nnp && seccomp_setup(cfg->spec, sync_fd, err) < 0)
		return orch_wrap(err, "seccomp: ");
	if (caps_apply_bounding(caps, err) < 0)
		return -1;
	/* Still root: the process's user gets its stdio (runc's fixStdioPermissions). */
	if (stdio_owner_fix(cfg, err) < 0)
		return -1;
	if (user_apply(ids, groups_allowed, err) < 0)
		return -1;
	if (cwd_denied && cwd_enter(cwd, &cwd_denied, err) < 0)
		return -1;
	return caps_apply(caps, err);
}

#include "hooks.h"

#include <stdlib.h>

#include <orch/protocol.h>

#include "../sync/sync.h"

int hooks_before_root_change(void *arg, struct orch_error *err)
{
	const struct create_hooks_arg *a = arg;
	char *state;
	int rc;

	/* Both sides read the same spec: the orchestrator expects procHooks exactly then. */
	if (hooks_present(a->cfg->spec, "prestart") || hooks_present(a->cfg->spec, "createRuntime")) {
		if (sync_send_type(a->sync_fd, ORCH_SYNC_PROC_HOOKS, err) < 0 ||
		    sync_wait_for(a->sync_fd, ORCH_SYNC_PROC_RESUME, NULL, err) < 0)
			return -1;
	}
	if (!hooks_present(a->cfg->spec, "createContainer"))
		return 0;
	state = hook_state_json(a->cfg, "creating", err);
	if (state == NULL)
		return -1;
	rc = hooks_run(a->cfg->spec, "createContainer", state, NULL, err);
	free(state);
	return rc;
}

#include "hooks.h"

#include <stdlib.h>

int hooks_start_container(const struct init_config *cfg, char *const process_env[],
			  struct orch_error *err)
{
	char *state;
	int rc;

	if (!hooks_present(cfg->spec, "startContainer"))
		return 0;
	state = hook_state_json(cfg, "created", err);
	if (state == NULL)
		return -1;
	rc = hooks_run(cfg->spec, "startContainer", state, process_env, err);
	free(state);
	return rc;
}

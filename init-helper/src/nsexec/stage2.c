/*
 * Stage-2 before it becomes the init: waits for stage-0's release, then hands over to the init
 * for the config's type.
 */
#include "stages.h"

#include <string.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "../init/setns_init.h"
#include "../init/standard_init.h"
#include "../sync/sync.h"
#include "host_namespaces.h"
#include "stage_channel.h"
#include "../log/log.h"

void stage2_run(struct stage_context *ctx)
{
	struct init_context ic = {
		.sync_fd = ctx->sync_fd,
		.fifo_fd = ctx->fifo_fd,
		.setgroups_allowed = bootstrap_setgroups_allowed(&ctx->boot),
		.rootless_euid = ctx->boot.rootless_euid,
	};
	struct stage_msg msg;
	struct orch_error err;

	orch_log(ORCH_LOG_DEBUG, "child process in init()");
	/* Before the container's mounts exist: which namespaces are still the host's. */
	host_namespaces_compare();
	/* Our copy of stage-1's channel would hide stage-1's death from stage-0. */
	close(ctx->chan1[1]);
	/* Anything but the release means stage-0 failed, reported it, and is killing us. */
	if (stage_recv(ctx->chan2[1], &msg, &err) != 1 || msg.type != STAGE_RELEASE)
		_exit(1);
	close(ctx->chan2[1]);

	if (strcmp(ctx->cfg.type, ORCH_INIT_TYPE_SETNS) == 0 ? setns_init(&ctx->cfg, &ic, &err) < 0
							     : standard_init(&ctx->cfg, &ic, &err) < 0) {
		sync_send_error(ctx->sync_fd, err.msg);
		_exit(1);
	}
	_exit(1); /* both inits return only on failure */
}

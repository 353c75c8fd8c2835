/*
 * Stage-0: the host side. Reads the bootstrap and init config, writes oom_score_adj, creates the
 * exec fifo, forks stage-1, writes its id maps, reports the pids and releases the init. It is
 * the only writer on the orchestrator socket until the init is released.
 */
#include "stages.h"
#include "../sync/env_fd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "../console/console.h"
#include "../mounts/mounts.h"
#include "../network/net_devices.h"
#include "../process/process.h"
#include "../sync/sync.h"
#include "host_namespaces.h"
#include "idmap.h"
#include "proc_write.h"
#include "stage_channel.h"
#include "../log/log.h"

static pid_t stage1_pid = -1;
static pid_t stage2_pid = -1;
static const char *helper_mode = "init"; /* argv[1] */

/* `orch-init setns`: join a running container; nothing of the rootfs or exec fifo to make. */
static bool joining(const struct stage_context *ctx)
{
	return strcmp(ctx->cfg.type, ORCH_INIT_TYPE_SETNS) == 0;
}

static void kill_and_reap(pid_t *pid)
{
	if (*pid <= 0)
		return;
	kill(*pid, SIGKILL);
	while (waitpid(*pid, NULL, 0) < 0 && errno == EINTR)
		;
	*pid = -1;
}

/*
 * Closing a unix socket with unread data makes the peer's next read fail with ECONNRESET
 * instead of end-of-file; consume what the orchestrator already sent so it reads our procError
 * and then a clean EOF.
 */
static void drain(int fd)
{
	char buf[4096];
	ssize_t n;

	do
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
	while (n > 0 || (n < 0 && errno == EINTR));
}

static int fail(struct stage_context *ctx, const struct orch_error *err)
{
	kill_and_reap(&stage1_pid);
	kill_and_reap(&stage2_pid);
	sync_send_error(ctx->sync_fd, err->msg);
	drain(ctx->sync_fd);
	return 1;
}

static int read_input(struct stage_context *ctx, struct orch_error *err)
{
	uint8_t *attrs;
	size_t len;
	char *line;
	int rc;

	if (sync_read_bootstrap(ctx->sync_fd, &attrs, &len, err) < 0)
		return -1;
	rc = bootstrap_parse(attrs, len, &ctx->boot, err);
	free(attrs);
	if (rc < 0)
		return -1;
	if (sync_read_line(ctx->sync_fd, &line, err) < 0)
		return orch_wrap(err, "read init config: ");
	rc = init_config_parse(line, &ctx->cfg, err);
	free(line);
	if (rc < 0)
		return -1;
	ctx->cfg.clone_flags = (int)ctx->boot.clone_flags;
	ctx->cfg.console_socket = -1;
	if (strcmp(ctx->cfg.type, strcmp(helper_mode, "setns") == 0 ? ORCH_INIT_TYPE_SETNS
								      : ORCH_INIT_TYPE_STANDARD) != 0)
		return orch_fail(err, 0, "init type \"%s\" is not supported by `orch-init %s`",
				 ctx->cfg.type, helper_mode);
	return 0;
}

/*
 * fds 3 .. 3+preserveFds-1 go to the container as they are. Requiring them to be open also keeps
 * every fd this helper opens (fifo, channels) out of that range, so none leaks into it.
 */
static int check_preserved_fds(const struct stage_context *ctx, struct orch_error *err)
{
	int last = 3 + ctx->cfg.preserve_fds - 1;

	if (ctx->sync_fd >= 3 && ctx->sync_fd <= last)
		return orch_fail(err, 0, "sync fd %d is inside the preserved fds 3..%d", ctx->sync_fd,
				 last);
	for (int fd = 3; fd <= last; fd++)
		if (fcntl(fd, F_GETFD) < 0)
			return orch_fail(err, errno, "preserved fd %d", fd);
	return 0;
}

static int make_channels(struct stage_context *ctx, struct orch_error *err)
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctx->chan1) < 0)
		return orch_fail(err, errno, "socketpair for stage-1");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ctx->chan2) < 0)
		return orch_fail(err, errno, "socketpair for the init");
	return 0;
}

/* process.terminal: the console socket the init sends its pty master on (console/console.h). */
static int console_open(struct stage_context *ctx, struct orch_error *err)
{
	struct console_channel ch;

	if (console_channel_open(&ctx->cfg, &ch, err) < 0)
		return -1;
	ctx->cfg.console_socket = ch.init_end;
	ctx->console_relay = ch.relay_end;
	/* The library's resize(): only a relay has a pty master to size. */
	if (ch.relay_end >= 0) {
		int fd = env_fd_take(ORCH_ENV_RESIZE_FD);

		if (fd == -1)
			return orch_fail(err, EBADF, "%s: not a usable fd", ORCH_ENV_RESIZE_FD);
		ctx->console_resize = fd;
	}
	return 0;
}

/* Closes every fd from 3 up but the two kept (each -1 or 3 and above). */
static void close_all_but(int keep_a, int keep_b)
{
	int keep[2] = { keep_a < keep_b ? keep_a : keep_b, keep_a < keep_b ? keep_b : keep_a };
	unsigned int low = 3;

	for (int i = 0; i < 2; i++) {
		if (keep[i] < 3)
			continue;
		if ((unsigned int)keep[i] > low && close_range(low, (unsigned int)keep[i] - 1, 0) < 0)
			orch_log(ORCH_LOG_WARNING, "close_range: %s", strerror(errno));
		low = (unsigned int)keep[i] + 1;
	}
	if (close_range(low, ~0U, 0) < 0)
		orch_log(ORCH_LOG_WARNING, "close_range: %s", strerror(errno));
}

static int prepare(struct stage_context *ctx, struct orch_error *err)
{
	if (read_input(ctx, err) < 0 || check_preserved_fds(ctx, err) < 0)
		return -1;
	/* The namespaces the container must not share for its sysctls: ours. */
	if (!joining(ctx) && host_namespaces_record(err) < 0)
		return -1;
	/* exec: execCPUAffinity.initial holds for the joining stages (runc sets it on its init
	 * before the cgroup join; here the orchestrator joined us already, so the kernel narrows the
	 * list to the container's cpuset); the setns init moves to "final" afterwards. */
	if (joining(ctx) &&
	    cpu_affinity_set(cfg_string(cfg_get(cfg_get(ctx->cfg.spec, "process"), "execCPUAffinity"), "initial"),
			     "process.execCPUAffinity.initial", err) < 0)
		return -1;
	if (ctx->cfg.foreground) {
		/* Orphans of the container come to us, not to the host's init (unless
		 * --no-subreaper: then to the caller's subreaper, as with runc). */
		if (!ctx->cfg.no_subreaper && prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
			return orch_fail(err, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
		/* A terminal's ^C then reaches only the orchestrator, which forwards it once. With
		 * process.terminal we read the terminal: only its foreground group may (the relay
		 * puts it in raw mode, where ^C is just a byte for the container). */
		if (!console_wanted(&ctx->cfg) && setpgid(0, 0) < 0)
			return orch_fail(err, errno, "setpgid");
	}
	/* Before any namespace exists, so lowering it still counts as the host's root doing it. */
	if (ctx->boot.oom_score_adj != NULL && ctx->boot.oom_score_adj[0] != '\0' &&
	    proc_write("/proc/self/oom_score_adj", ctx->boot.oom_score_adj, err) < 0)
		return -1;
	/* Likewise: inside a user namespace the init could not raise a hard rlimit itself. */
	rlimits_raise_hard(cfg_get(ctx->cfg.spec, "process"));
	if (!joining(ctx) && exec_fifo_create(ctx->cfg.fifo_path, &ctx->fifo_fd, err) < 0)
		return -1;
	/* Id-mapped mounts need the host's privilege over their source: made here, moved into
	 * place by the init. */
	if (!joining(ctx) && mount_sources_prepare(&ctx->cfg, ctx->boot.uid_map, ctx->boot.gid_map, err) < 0)
		return orch_wrap(err, "rootfs: ");
	if (console_open(ctx, err) < 0 || pidfd_socket_open(ctx, err) < 0)
		return -1;
	return make_channels(ctx, err);
}

static int describe_exit(const char *who, int status, struct orch_error *err)
{
	if (WIFSIGNALED(status))
		return orch_fail(err, 0, "%s killed by signal %d", who, WTERMSIG(status));
	return orch_fail(err, 0, "%s exited with status %d", who, WEXITSTATUS(status));
}

/* Serves stage-1's requests until it reports the init's pid; then reaps it. */
static int run_stage1(struct stage_context *ctx, struct orch_error *err)
{
	struct stage_msg msg;
	int status, r;
	pid_t w;

	for (;;) {
		r = stage_recv(ctx->chan1[0], &msg, err);
		if (r < 0)
			return -1;
		if (r == 0)
			break; /* stage-1 died without a word: its exit status says how */
		if (msg.type == STAGE_ERROR)
			return orch_fail(err, 0, "%s", msg.text);
		if (msg.type == STAGE_PIDS) {
			stage2_pid = msg.pid;
			break;
		}
		if (msg.type != STAGE_MAP_REQUEST)
			return orch_fail(err, 0, "stage-1 sent unexpected message %d", msg.type);
		if (idmap_write(stage1_pid, &ctx->boot, err) < 0)
			return -1;
		if (stage_send(ctx->chan1[0], STAGE_MAP_DONE, 0, NULL, err) < 0)
			return -1;
	}
	do
		w = waitpid(stage1_pid, &status, 0);
	while (w < 0 && errno == EINTR);
	if (w < 0)
		return orch_fail(err, errno, "wait for stage-1 (pid %d)", (int)stage1_pid);
	stage1_pid = -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return describe_exit("stage-1", status, err);
	if (stage2_pid <= 0)
		return orch_fail(err, 0, "stage-1 exited without reporting the init's pid");
	return 0;
}

static int send_pids(struct stage_context *ctx, pid_t stage1, struct orch_error *err)
{
	json_object *msg = json_object_new_object();
	int rc;

	if (msg == NULL)
		return orch_fail(err, ENOMEM, "encode procPids");
	json_object_object_add(msg, "type", json_object_new_string(ORCH_SYNC_PROC_PIDS));
	json_object_object_add(msg, "pid", json_object_new_int(stage2_pid));
	json_object_object_add(msg, "stage1Pid", json_object_new_int(stage1));
	rc = sync_write(ctx->sync_fd, msg, err);
	json_object_put(msg);
	return rc;
}

int stage0_run(int sync_fd, const char *mode)
{
	struct stage_context ctx;
	struct orch_error err;
	pid_t stage1;

	memset(&ctx, 0, sizeof(ctx));
	helper_mode = mode;
	ctx.sync_fd = sync_fd;
	ctx.fifo_fd = ctx.chan1[0] = ctx.chan1[1] = ctx.chan2[0] = ctx.chan2[1] = -1;
	ctx.console_relay = ctx.console_resize = ctx.pidfd_socket = -1;
	/* An inherited SIG_IGN would make the kernel reap our children before waitpid sees them. */
	if (signal(SIGCHLD, SIG_DFL) == SIG_ERR) {
		orch_fail(&err, errno, "reset SIGCHLD");
		return fail(&ctx, &err);
	}
	orch_log(ORCH_LOG_DEBUG, "nsexec container setup");
	if (prepare(&ctx, &err) < 0)
		return fail(&ctx, &err);

	stage1_pid = fork();
	if (stage1_pid < 0) {
		orch_fail(&err, errno, "fork stage-1");
		return fail(&ctx, &err);
	}
	if (stage1_pid == 0)
		stage1_run(&ctx);
	/* The other ends now live in stage-1 (and stage-2): EOF means they are gone. */
	close(ctx.chan1[1]);
	close(ctx.chan2[1]);
	if (ctx.cfg.console_socket >= 0)
		close(ctx.cfg.console_socket);

	stage1 = stage1_pid;
	if (run_stage1(&ctx, &err) < 0)
		return fail(&ctx, &err);
	/* The init's network namespace exists and the init waits: host links go in now. */
	if (!joining(&ctx) && net_devices_move(cfg_get(ctx.cfg.spec, "linux"), stage2_pid, &err) < 0)
		return fail(&ctx, &err);
	if (pidfd_socket_send(&ctx, stage2_pid, &err) < 0 || send_pids(&ctx, stage1, &err) < 0)
		return fail(&ctx, &err);
	/* Released only after procPids, so the init cannot write to the socket before we have. */
	if (stage_send(ctx.chan2[0], STAGE_RELEASE, 0, NULL, &err) < 0)
		return fail(&ctx, &err);
	close(ctx.chan2[0]);
	close(ctx.chan1[0]);
	close(ctx.fifo_fd);
	/* The init alone holds the socket now: its close is the orchestrator's end-of-file. */
	close(ctx.sync_fd);
	if (!ctx.cfg.foreground)
		return 0;
	/* Preserved fds belong to the container; holding them would delay EOF for their readers.
	 * The console relay's socket and its resize channel are the fds kept. */
	close_all_but(ctx.console_relay, ctx.console_resize);
	if (ctx.console_relay >= 0)
		return end_as(console_relay_run(ctx.console_relay, ctx.console_resize, stage2_pid));
	return end_as(reap_until_init_exits(stage2_pid));
}

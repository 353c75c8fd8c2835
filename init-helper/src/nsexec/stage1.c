/*
 * Stage-1: joins namespaces by path, creates the user namespace (stage-0 writes its maps), then
 * the other namespaces, and clones the init with CLONE_PARENT so the init is stage-0's child and
 * is born inside every new namespace (pid and time only apply to children).
 */
#include "stages.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "namespaces.h"
#include "stage_channel.h"

__attribute__((noreturn)) static void die(struct stage_context *ctx, const struct orch_error *err)
{
	struct orch_error ignored;

	/* stage-0 forwards this as procError; if it is gone there is nobody left to tell. */
	stage_send(ctx->chan1[1], STAGE_ERROR, 0, err->msg, &ignored);
	_exit(1);
}

static int create_user_ns(struct stage_context *ctx, struct orch_error *err)
{
	struct stage_msg msg;
	int r;

	if (unshare(CLONE_NEWUSER) < 0)
		return orch_fail(err, errno, "unshare user namespace");
	if (stage_send(ctx->chan1[1], STAGE_MAP_REQUEST, 0, NULL, err) < 0)
		return -1;
	r = stage_recv(ctx->chan1[1], &msg, err);
	if (r < 0)
		return -1;
	if (r == 0)
		_exit(1); /* stage-0 failed writing the maps and has reported it */
	if (msg.type != STAGE_MAP_DONE)
		return orch_fail(err, 0, "stage-0 sent unexpected message %d", msg.type);
	/* Root of the new namespace, so the namespaces unshared next are owned and usable by us. */
	if (setresgid(0, 0, 0) < 0)
		return orch_fail(err, errno, "setresgid(0) in the new user namespace");
	if (setresuid(0, 0, 0) < 0)
		return orch_fail(err, errno, "setresuid(0) in the new user namespace");
	return 0;
}

/*
 * fork() cannot pass CLONE_PARENT, so clone(2) is called directly with no new stack: the child
 * resumes here like after fork. Only s390 takes the stack before the flags.
 */
static pid_t clone_parent(void)
{
#if defined(__s390__) || defined(__CRIS__)
	return (pid_t)syscall(SYS_clone, 0UL, (unsigned long)(CLONE_PARENT | SIGCHLD), NULL, NULL, 0UL);
#else
	return (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_PARENT | SIGCHLD), 0UL, NULL, NULL, 0UL);
#endif
}

void stage1_run(struct stage_context *ctx)
{
	struct orch_error err;
	pid_t init;

	close(ctx->chan1[0]);
	close(ctx->chan2[0]);
	if (namespaces_join(ctx->boot.ns_paths, &err) < 0)
		die(ctx, &err);
	if ((ctx->boot.clone_flags & CLONE_NEWUSER) && create_user_ns(ctx, &err) < 0)
		die(ctx, &err);
	if (namespaces_unshare(ctx->boot.clone_flags, ctx->boot.time_offsets, &err) < 0)
		die(ctx, &err);

	init = clone_parent();
	if (init < 0) {
		orch_fail(&err, errno, "clone the init (CLONE_PARENT)");
		die(ctx, &err);
	}
	if (init == 0)
		stage2_run(ctx);
	if (stage_send(ctx->chan1[1], STAGE_PIDS, init, NULL, &err) < 0) {
		/* stage-0 never learns this pid; the init exits when its release channel closes. */
		kill(init, SIGKILL);
		_exit(1);
	}
	_exit(0);
}

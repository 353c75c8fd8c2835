#ifndef ORCH_SECCOMP_FILTER_H
#define ORCH_SECCOMP_FILTER_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>
#include <seccomp.h>

#include "../error/error.h"

/*
 * linux.seccomp through libseccomp, as runc builds it. `seccomp` is the spec's linux.seccomp
 * object. Every function returns 0, or -1 with err set.
 */

/* action.c: an SCMP_ACT_* name (+ errnoRet) as libseccomp's action value. */
int seccomp_action(const char *name, json_object *errno_ret, uint32_t *action,
		   struct orch_error *err);
/* action.c: an SCMP_CMP_* name as libseccomp's operator. */
int seccomp_operator(const char *name, enum scmp_compare *op, struct orch_error *err);

/* arch_flags.c: linux.seccomp.architectures and linux.seccomp.flags on a new filter. */
int seccomp_add_arches(scmp_filter_ctx ctx, json_object *seccomp, struct orch_error *err);
int seccomp_set_flags(scmp_filter_ctx ctx, json_object *seccomp, struct orch_error *err);

/* syscall_rules.c: every linux.seccomp.syscalls entry, each of its names one rule. */
int seccomp_add_rules(scmp_filter_ctx ctx, json_object *seccomp, uint32_t default_action,
		      struct orch_error *err);

/* notify.c: whether some rule's action is SCMP_ACT_NOTIFY (a listener fd will exist). */
bool seccomp_uses_notify(json_object *seccomp);
/* notify.c: refuses notify where it would deadlock the handoff (default action, sendmsg). */
int seccomp_check_notify(json_object *seccomp, uint32_t default_action, struct orch_error *err);

/*
 * enosys_stub.c: loads the filter of ctx with runc's -ENOSYS stub in front (syscalls newer than
 * any the profile names answer ENOSYS instead of the default action). *listener: the notify
 * listener when `notify`, else -1.
 */
int seccomp_load_with_stub(scmp_filter_ctx ctx, json_object *seccomp, uint32_t default_action,
			   bool notify, int *listener, struct orch_error *err);

/*
 * filter_load.c: builds the filter and loads it into the calling process. *listener is the
 * SCMP_ACT_NOTIFY listener fd, or -1 when the filter has no notify rule.
 */
int seccomp_filter_load(json_object *seccomp, int *listener, struct orch_error *err);

/*
 * agent_fd.c: the socket the orchestrator connected to linux.seccomp.listenerPath, handed in as
 * an fd named by $_ORCH_SECCOMP_AGENT_FD. seccomp_agent_fd_take runs first thing in main (it
 * marks the fd close-on-exec and clears the variable); seccomp_agent_fd returns it, or -1.
 */
int seccomp_agent_fd_take(void);
int seccomp_agent_fd(void);

/*
 * setup.c, in the container init: loads linux.seccomp (when the spec has one). With a notify
 * rule it first asks the orchestrator for the container state (procSeccomp / procSeccompDone),
 * then sends that state and the listener fd to the agent over SCM_RIGHTS, as runc does.
 */
int seccomp_setup(json_object *spec, int sync_fd, struct orch_error *err);

#endif

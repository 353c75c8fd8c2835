#include "stages.h"
#include "../log/log.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

int reap_until_init_exits(pid_t init)
{
	int status;

	for (;;) {
		pid_t w = waitpid(-1, &status, 0);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			/* The socket is closed by now: stderr is the only place left to say it. */
			orch_log(ORCH_LOG_ERROR, "wait for the init (pid %d): %s", (int)init, strerror(errno));
			return W_EXITCODE(1, 0);
		}
		/* Orphans re-parented to us (subreaper) are reaped and forgotten. */
		if (w != init)
			continue;
		return status;
	}
}

int end_as(int wstatus)
{
	const struct rlimit no_core = { 0, 0 };
	sigset_t one;
	int sig;

	if (!WIFSIGNALED(wstatus))
		return WEXITSTATUS(wstatus);
	sig = WTERMSIG(wstatus);
	/* The container's crash is not ours: no core file of the helper. */
	if (setrlimit(RLIMIT_CORE, &no_core) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		orch_log(ORCH_LOG_WARNING, "disable core dumps: %s", strerror(errno));
	/* SIGKILL's disposition cannot be changed, nor blocked: it needs neither */
	if (sig != SIGKILL && (signal(sig, SIG_DFL) == SIG_ERR || sigemptyset(&one) < 0 || sigaddset(&one, sig) < 0 ||
			       sigprocmask(SIG_UNBLOCK, &one, NULL) < 0))
		orch_log(ORCH_LOG_WARNING, "reset signal %d: %s", sig, strerror(errno));
	if (raise(sig) != 0)
		orch_log(ORCH_LOG_WARNING, "end by signal %d: %s", sig, strerror(errno));
	/* a signal whose default is not to terminate (it could not have ended the init either) */
	return 128 + sig;
}

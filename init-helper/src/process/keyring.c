#include "process.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/keyctl.h>

int keyring_join(const struct init_config *cfg, struct orch_error *err)
{
	if (cfg->no_new_keyring)
		return 0;
	/* NULL name: a new anonymous keyring, so the container cannot see the caller's keys. */
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, NULL) < 0) {
		/* Kernels without keyrings, or seccomp filters refusing keyctl: nothing to isolate. */
		if (errno == ENOSYS || errno == EPERM)
			return 0;
		return orch_fail(err, errno, "join a new session keyring");
	}
	return 0;
}

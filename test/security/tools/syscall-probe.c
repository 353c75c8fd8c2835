/*
 * Test tool of test/security, run inside containers (linked statically: the rootfs is busybox).
 * `syscall-probe NAME...` makes each named call once with harmless arguments and prints
 * "NAME ok" or "NAME <errno name>", so a test can see what a seccomp filter, the capabilities
 * or the user let through. A call a filter kills never prints. "session-keyring" prints the
 * description of the session keyring instead of "ok".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

/* A child made by a raw clone/clone3 exits at once; the parent reaps it. */
static long reap(long pid)
{
	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid < 0 ? -1 : 0;
}

static long call(const char *name)
{
	char buf[4096];
	struct utsname uts;

	if (strcmp(name, "keyctl") == 0)
		return syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
	if (strcmp(name, "add_key") == 0)
		return syscall(SYS_add_key, "user", "orch-probe", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	if (strcmp(name, "unshare-user") == 0)
		return unshare(CLONE_NEWUSER);
	if (strcmp(name, "unshare-net") == 0)
		return unshare(CLONE_NEWNET);
	if (strcmp(name, "mount") == 0)
		return mount("none", "/tmp", "tmpfs", 0, NULL);
	if (strcmp(name, "clone") == 0)
		return reap(syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0));
	if (strcmp(name, "clone-newns") == 0)
		return reap(syscall(SYS_clone, CLONE_NEWNS | SIGCHLD, 0, NULL, NULL, 0));
	if (strcmp(name, "clone3") == 0) {
		struct clone_args args;

		memset(&args, 0, sizeof(args));
		args.exit_signal = SIGCHLD;
		return reap(syscall(SYS_clone3, &args, sizeof(args)));
	}
	if (strcmp(name, "personality-query") == 0)
		return personality(0xffffffff) < 0 ? -1 : 0;
	if (strcmp(name, "personality-bsd") == 0)
		return personality(PER_BSD) < 0 ? -1 : 0;
	if (strcmp(name, "getcwd") == 0)
		return getcwd(buf, sizeof(buf)) ? 0 : -1;
	if (strcmp(name, "chroot") == 0)
		return chroot("/");
	if (strcmp(name, "uname") == 0)
		return uname(&uts);
	if (strcmp(name, "mkdir") == 0)
		return mkdir("/tmp/orch-probe-dir", 0755);
	if (strcmp(name, "socket-unix") == 0)
		return socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) < 0 ? -1 : 0;
	if (strcmp(name, "socket-vsock") == 0)
		return socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0) < 0 ? -1 : 0;
	if (strcmp(name, "setuid") == 0)
		return setuid(0);
	if (strcmp(name, "session-keyring") == 0) {
		/* prints the keyring's "type;uid;gid;perm;description" instead of "ok" */
		long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, KEY_SPEC_SESSION_KEYRING, buf, sizeof(buf) - 1);

		if (n < 0)
			return -1;
		buf[n < (long)sizeof(buf) ? n : (long)sizeof(buf) - 1] = '\0';
		printf("%s %s\n", name, buf);
		return 1;
	}
	errno = EINVAL;
	fprintf(stderr, "syscall-probe: unknown call %s\n", name);
	return -2;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		long rc;

		errno = 0;
		rc = call(argv[i]);
		if (rc == -2)
			return 2;
		if (rc == 1)
			continue; /* printed its own result */
		if (rc < 0)
			printf("%s %s\n", argv[i], strerrorname_np(errno) ? strerrorname_np(errno) : "?");
		else
			printf("%s ok\n", argv[i]);
		fflush(stdout);
	}
	return 0;
}

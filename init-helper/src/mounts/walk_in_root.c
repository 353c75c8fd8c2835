#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"

/*
 * What openat2(RESOLVE_IN_ROOT) does, for kernels without it (before 5.6, or a seccomp filter
 * that hides it): one component at a time with O_NOFOLLOW, symlinks read and resolved against
 * the root by us, ".." never above the root. A directory moved out of the root while we walk is
 * caught by checking where ".." and the result really are (/proc/self/fd), as
 * filepath-securejoin's fallback does.
 */

#define WALK_MAX_SYMLINKS 40	/* the kernel's MAXSYMLINKS */

static bool same_inode(int a, int b)
{
	struct stat sa, sb;

	return fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* fd must still be below the root: -1/EXDEV when a rename took it elsewhere. */
static int check_inside(int fd, const char *root_path)
{
	char where[PATH_MAX];

	if (fd_path(fd, where, sizeof where) < 0)
		return -1;
	if (!path_in_root(root_path, where)) {
		errno = EXDEV;
		return -1;
	}
	return 0;
}

static int fail_with(int fd, int e)
{
	if (fd >= 0)
		close(fd);
	errno = e;
	return -1;
}

/* The final step: O_PATH results are the walk's fd, anything else is opened through it. */
static int finish(int cur, int flags)
{
	struct stat st;

	if (fstat(cur, &st) < 0)
		return fail_with(cur, errno);
	if ((flags & O_DIRECTORY) && !S_ISDIR(st.st_mode))
		return fail_with(cur, ENOTDIR);
	if (flags & O_PATH)
		return cur;
	char proc[PROCFD_PATH_SIZE];
	int fd = open(procfd_path(cur, proc), (flags & ~O_NOFOLLOW) | O_CLOEXEC);
	int e = errno;
	close(cur);
	if (fd < 0)
		errno = e;
	return fd;
}

int walk_in_root(int root_fd, const char *path, int flags)
{
	char root_path[PATH_MAX];
	/* What is left to resolve; symlink targets are put in front of the rest. */
	char todo[PATH_MAX], next_todo[PATH_MAX];
	int links = 0;

	if (fd_path(root_fd, root_path, sizeof root_path) < 0)
		return -1;
	if (snprintf(todo, sizeof todo, "%s", path) >= (int)sizeof todo) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int cur = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (cur < 0)
		return -1;
	char *p = todo;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		char *end = strchrnul(p, '/');
		char name[NAME_MAX + 1];
		size_t n = (size_t)(end - p);
		if (n > NAME_MAX)
			return fail_with(cur, ENAMETOOLONG);
		memcpy(name, p, n);
		name[n] = '\0';
		const char *rest = end;
		bool last = rest[strspn(rest, "/")] == '\0';
		/* "dir/" asks for the directory a trailing symlink names. */
		bool follow = !last || !(flags & O_NOFOLLOW) || *rest == '/';
		p = end;

		if (strcmp(name, ".") == 0)
			continue;
		if (strcmp(name, "..") == 0) {
			if (same_inode(cur, root_fd))
				continue;	/* ".." of the root is the root */
			int up = openat(cur, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (up < 0)
				return fail_with(cur, errno);
			close(cur);
			cur = up;
			if (check_inside(cur, root_path) < 0)
				return fail_with(cur, errno);
			continue;
		}
		int fd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return fail_with(cur, errno);
		struct stat st;
		if (fstat(fd, &st) < 0) {
			int e = errno;
			close(fd);
			return fail_with(cur, e);
		}
		if (!S_ISLNK(st.st_mode) || !follow) {
			close(cur);
			cur = fd;
			continue;
		}
		if (++links > WALK_MAX_SYMLINKS) {
			close(fd);
			return fail_with(cur, ELOOP);
		}
		char target[PATH_MAX];
		ssize_t len = readlinkat(fd, "", target, sizeof target - 1);
		int e = errno;
		close(fd);
		if (len < 0)
			return fail_with(cur, e);
		target[len] = '\0';
		if (snprintf(next_todo, sizeof next_todo, "%s%s", target, rest) >= (int)sizeof next_todo)
			return fail_with(cur, ENAMETOOLONG);
		memcpy(todo, next_todo, sizeof todo);
		p = todo;
		if (target[0] == '/') {
			/* Absolute targets start again from the root. */
			close(cur);
			cur = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
			if (cur < 0)
				return -1;
		}
	}
	if (check_inside(cur, root_path) < 0)
		return fail_with(cur, errno);
	return finish(cur, flags);
}

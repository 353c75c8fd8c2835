#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mounts.h"

const char *procfd_path(int fd, char buf[PROCFD_PATH_SIZE])
{
	snprintf(buf, PROCFD_PATH_SIZE, "/proc/self/fd/%d", fd);
	return buf;
}

int path_clean_abs(const char *path, char *out, size_t size)
{
	size_t len = 0;
	const char *p = path;

	if (size < 2) {
		errno = ENAMETOOLONG;
		return -1;
	}
	out[len++] = '/';
	while (*p) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		const char *end = strchrnul(p, '/');
		size_t n = (size_t)(end - p);
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* ".." never goes above "/", as in filepath.Clean("/" + path). */
			while (len > 1 && out[len - 1] != '/')
				len--;
			if (len > 1)
				len--;
		} else {
			if (len > 1)
				out[len++] = '/';
			if (len + n + 1 > size) {
				errno = ENAMETOOLONG;
				return -1;
			}
			memcpy(out + len, p, n);
			len += n;
		}
		p = end;
	}
	out[len] = '\0';
	return 0;
}

bool path_in_root(const char *root, const char *path)
{
	size_t n = strlen(root);

	if (strcmp(root, "/") == 0)
		return path[0] == '/';
	return strncmp(root, path, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

int fd_path(int fd, char *buf, size_t size)
{
	char link[PROCFD_PATH_SIZE];
	ssize_t n = readlink(procfd_path(fd, link), buf, size);

	if (n < 0)
		return -1;
	if ((size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	buf[n] = '\0';
	return 0;
}

int open_in_root(int root_fd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC),
		/* Symlinks (absolute ones and "..") resolve as if root_fd were "/"; magic links
		 * (/proc/self/fd/N style) inside the image are refused outright. */
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};

	while (*path == '/')
		path++;
	if (!*path)
		path = ".";
	return (int)syscall(SYS_openat2, root_fd, path, &how, sizeof how);
}

/* Walks path one component at a time: each prefix is opened from the root (so symlinks met on
 * the way stay inside it) and a missing component is made with mkdirat() in the directory the
 * previous prefix resolved to. */
int mkdir_all_in_root(int root_fd, const char *path, mode_t mode, struct orch_error *err)
{
	char clean[PATH_MAX];
	int cur;

	if (path_clean_abs(path, clean, sizeof clean) < 0)
		return orch_fail(err, errno, "%s", path);
	cur = open_in_root(root_fd, ".", O_PATH | O_DIRECTORY);
	if (cur < 0)
		return orch_fail(err, errno, "open rootfs");

	char *p = clean + 1;
	while (*p) {
		char *slash = strchrnul(p, '/');
		char saved = *slash;
		*slash = '\0';	/* clean[0..slash) is the prefix, p the component */

		int fd = open_in_root(root_fd, clean, O_PATH | O_DIRECTORY);
		bool existed = false;
		if (fd < 0 && errno == ENOENT) {
			if (mkdirat(cur, p, mode) < 0) {
				if (errno != EEXIST) {
					int e = errno;
					close(cur);
					return orch_fail(err, e, "mkdir %s", clean);
				}
				existed = true;
			}
			fd = open_in_root(root_fd, clean, O_PATH | O_DIRECTORY);
		}
		if (fd < 0) {
			int e = errno;
			close(cur);
			/* mkdirat never follows a symlink: it is there but points nowhere. */
			if (existed && e == ENOENT)
				return orch_fail(err, e, "open directory %s (a dangling symlink)", clean);
			return orch_fail(err, e, "open directory %s", clean);
		}
		close(cur);
		cur = fd;
		*slash = saved;
		p = saved ? slash + 1 : slash;
	}
	return cur;
}

int open_parent_in_root(int root_fd, const char *path, mode_t mode, char *name, size_t name_size,
			struct orch_error *err)
{
	char clean[PATH_MAX];

	if (path_clean_abs(path, clean, sizeof clean) < 0)
		return orch_fail(err, errno, "%s", path);
	char *last = strrchr(clean, '/');
	if (last[1] == '\0')
		return orch_fail(err, EINVAL, "%s: no file name", path);
	if (strlen(last + 1) >= name_size)
		return orch_fail(err, ENAMETOOLONG, "%s", path);
	strcpy(name, last + 1);
	if (last == clean)
		last[1] = '\0';	/* parent is "/" */
	else
		*last = '\0';
	return mkdir_all_in_root(root_fd, clean, mode, err);
}

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

/* Asked once: the kernel may predate openat2 (5.6), or a seccomp profile may refuse it. */
static bool have_openat2(void)
{
	static int known = -1;

	if (known < 0) {
		struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_IN_ROOT };
		int fd = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how, sizeof how);
		known = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	return known;
}

int open_in_root(int root_fd, const char *path, int flags)
{
	if (!have_openat2())
		return walk_in_root(root_fd, path, flags);

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

/* A dangling symlink met while creating directories (an image's /var/run -> ../run without
 * /run): the path continues at its target, inside the root, as securejoin's MkdirAll does. The
 * target is joined to the real path of the directory holding the link, so ".." in it means
 * what the kernel would make of it. */
static int follow_dangling(int root_fd, int dir, const char *name, const char *rest, char *next, size_t size,
			   struct orch_error *err)
{
	char target[PATH_MAX], root_path[PATH_MAX], dir_path[PATH_MAX];
	ssize_t n = readlinkat(dir, name, target, sizeof target - 1);

	if (n < 0)
		return orch_fail(err, errno, "readlink %s", name);
	target[n] = '\0';
	if (fd_path(root_fd, root_path, sizeof root_path) < 0 || fd_path(dir, dir_path, sizeof dir_path) < 0)
		return orch_fail(err, errno, "readlink /proc/self/fd");
	if (!path_in_root(root_path, dir_path))
		return orch_fail(err, EXDEV, "%s moved out of the rootfs", dir_path);
	const char *dir_rel = strcmp(root_path, "/") == 0 ? dir_path : dir_path + strlen(root_path);
	if (snprintf(next, size, "%s/%s/%s", target[0] == '/' ? "" : dir_rel, target, rest) >= (int)size)
		return orch_fail(err, ENAMETOOLONG, "%s", target);
	return 0;
}

#define MKDIR_MAX_SYMLINKS 40

static int mkdir_all_links(int root_fd, const char *path, mode_t mode, int links, struct orch_error *err)
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
		if (fd < 0 && existed && errno == ENOENT) {
			/* mkdirat never follows a symlink: it is there but points nowhere. */
			char next[PATH_MAX];
			int r = links >= MKDIR_MAX_SYMLINKS
					? orch_fail(err, ELOOP, "open directory %s", clean)
					: follow_dangling(root_fd, cur, p, saved ? slash + 1 : "", next, sizeof next, err);
			close(cur);
			if (r < 0)
				return r;
			return mkdir_all_links(root_fd, next, mode, links + 1, err);
		}
		if (fd < 0) {
			int e = errno;
			close(cur);
			return orch_fail(err, e, "open directory %s", clean);
		}
		close(cur);
		cur = fd;
		*slash = saved;
		p = saved ? slash + 1 : slash;
	}
	return cur;
}

/* Walks path one component at a time: each prefix is opened from the root (so symlinks met on
 * the way stay inside it) and a missing component is made with mkdirat() in the directory the
 * previous prefix resolved to. */
int mkdir_all_in_root(int root_fd, const char *path, mode_t mode, struct orch_error *err)
{
	return mkdir_all_links(root_fd, path, mode, 0, err);
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

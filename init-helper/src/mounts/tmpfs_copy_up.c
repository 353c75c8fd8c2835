#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"

/* Every step works on fds and single names with O_NOFOLLOW: nothing in the image can send the
 * copy anywhere else, whatever its symlinks say. */

static int copy_tree(int from, int to, const char *rel, int depth, struct orch_error *err);

static int copy_data(int in, int out, const char *rel, struct orch_error *err)
{
	char buf[65536];

	for (;;) {
		ssize_t n = copy_file_range(in, NULL, out, NULL, 1 << 30, 0);
		if (n == 0)
			return 0;
		if (n > 0)
			continue;
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != EOPNOTSUPP && errno != ENOSYS)
			return orch_fail(err, errno, "copy %s", rel);
		break;	/* not between these filesystems: plain reads and writes */
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof buf);
		if (n == 0)
			return 0;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return orch_fail(err, errno, "read %s", rel);
		for (ssize_t done = 0; done < n;) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return orch_fail(err, errno, "write %s", rel);
			done += w;
		}
	}
}

static int copy_file(int from, int to, const char *name, const struct stat *st, const char *rel,
		     struct orch_error *err)
{
	int in = openat(from, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	if (in < 0)
		return orch_fail(err, errno, "open %s", rel);
	int out = openat(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		int e = errno;
		close(in);
		return orch_fail(err, e, "create %s", rel);
	}
	int ret = copy_data(in, out, rel, err);
	/* Owner first: chown clears the set-id bits that fchmod then puts back. */
	if (ret == 0 && fchown(out, st->st_uid, st->st_gid) < 0)
		ret = orch_fail(err, errno, "chown %s", rel);
	if (ret == 0 && fchmod(out, st->st_mode & 07777) < 0)
		ret = orch_fail(err, errno, "chmod %s", rel);
	close(in);
	close(out);
	return ret;
}

static int copy_dir(int from, int to, const char *name, const struct stat *st, const char *rel, int depth,
		    struct orch_error *err)
{
	if (mkdirat(to, name, 0700) < 0)
		return orch_fail(err, errno, "mkdir %s", rel);
	int sub_from = openat(from, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub_from < 0)
		return orch_fail(err, errno, "open %s", rel);
	int sub_to = openat(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sub_to < 0) {
		int e = errno;
		close(sub_from);
		return orch_fail(err, e, "open the copy of %s", rel);
	}
	int ret = copy_tree(sub_from, sub_to, rel, depth + 1, err);
	if (ret == 0 && fchown(sub_to, st->st_uid, st->st_gid) < 0)
		ret = orch_fail(err, errno, "chown %s", rel);
	if (ret == 0 && fchmod(sub_to, st->st_mode & 07777) < 0)
		ret = orch_fail(err, errno, "chmod %s", rel);
	close(sub_from);
	close(sub_to);
	return ret;
}

static int copy_symlink(int from, int to, const char *name, const struct stat *st, const char *rel,
			struct orch_error *err)
{
	char target[PATH_MAX];
	ssize_t n = readlinkat(from, name, target, sizeof target - 1);

	if (n < 0)
		return orch_fail(err, errno, "readlink %s", rel);
	target[n] = '\0';
	if (symlinkat(target, to, name) < 0)
		return orch_fail(err, errno, "symlink %s", rel);
	if (fchownat(to, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return orch_fail(err, errno, "chown %s", rel);
	return 0;
}

static int copy_special(int to, const char *name, const struct stat *st, const char *rel, struct orch_error *err)
{
	if (mknodat(to, name, st->st_mode & (S_IFMT | 07777), st->st_rdev) < 0)
		return orch_fail(err, errno, "mknod %s", rel);
	if (fchownat(to, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return orch_fail(err, errno, "chown %s", rel);
	/* mknod applied the umask. */
	int fd = openat(to, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return orch_fail(err, errno, "open %s", rel);
	char path[PROCFD_PATH_SIZE];
	int r = chmod(procfd_path(fd, path), st->st_mode & 07777);
	int e = errno;
	close(fd);
	if (r < 0)
		return orch_fail(err, e, "chmod %s", rel);
	return 0;
}

static int copy_entry(int from, int to, const char *name, const char *parent_rel, int depth,
		      struct orch_error *err)
{
	char rel[PATH_MAX];
	struct stat st;

	if (snprintf(rel, sizeof rel, "%s/%s", parent_rel, name) >= (int)sizeof rel)
		return orch_fail(err, ENAMETOOLONG, "%s/%s", parent_rel, name);
	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return orch_fail(err, errno, "stat %s", rel);
	switch (st.st_mode & S_IFMT) {
	case S_IFDIR:
		return copy_dir(from, to, name, &st, rel, depth, err);
	case S_IFREG:
		return copy_file(from, to, name, &st, rel, err);
	case S_IFLNK:
		return copy_symlink(from, to, name, &st, rel, err);
	default:
		return copy_special(to, name, &st, rel, err);
	}
}

/* Directories nested deeper than this are an image built to exhaust the init. */
#define COPY_UP_MAX_DEPTH 256

static int copy_tree(int from, int to, const char *rel, int depth, struct orch_error *err)
{
	if (depth > COPY_UP_MAX_DEPTH)
		return orch_fail(err, ELOOP, "%s: more than %d levels of directories", rel, COPY_UP_MAX_DEPTH);
	int fd = dup(from);
	if (fd < 0)
		return orch_fail(err, errno, "dup");
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int e = errno;
		close(fd);
		return orch_fail(err, e, "opendir %s", rel);
	}
	int ret = 0;
	struct dirent *d;
	errno = 0;
	while (ret == 0 && (d = readdir(dir)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		ret = copy_entry(from, to, d->d_name, rel, depth, err);
		errno = 0;
	}
	if (ret == 0 && errno != 0)
		ret = orch_fail(err, errno, "readdir %s", rel);
	closedir(dir);
	return ret;
}

int tmpfs_copy_up(int from_dir, int to_mount, const char *dest, struct orch_error *err)
{
	int from = openat(from_dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (from < 0)
		return orch_fail(err, errno, "tmpcopyup: open %s", dest);
	int to = openat(to_mount, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (to < 0) {
		int e = errno;
		close(from);
		return orch_fail(err, e, "tmpcopyup: open the tmpfs on %s", dest);
	}
	int ret = copy_tree(from, to, strcmp(dest, "/") == 0 ? "" : dest, 0, err);
	close(from);
	close(to);
	return ret < 0 ? orch_wrap(err, "tmpcopyup: ") : 0;
}

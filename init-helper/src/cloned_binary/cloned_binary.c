#include "cloned_binary.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

extern char **environ;

/* What makes the copy immutable; F_SEAL_SEAL last, so nobody can lift the others. */
#define REQUIRED_SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)


/*
 * Whether /proc/self/exe cannot be written already: a sealed memfd (we re-executed), or a file
 * on a read-only mount (a read-only bind mount of the helper is runc's other defence, and costs
 * nothing at start-up; the container cannot remount the host's mounts).
 */
static int is_protected(struct orch_error *err)
{
	int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct statvfs vfs;
	int seals;

	if (fd < 0)
		return orch_fail(err, errno, "open /proc/self/exe");
	seals = fcntl(fd, F_GET_SEALS); /* EINVAL: a regular file, which carries no seals */
	if (seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS) {
		close(fd);
		return 1;
	}
	if (fstatvfs(fd, &vfs) < 0) {
		orch_fail(err, errno, "fstatvfs /proc/self/exe");
		close(fd);
		return -1;
	}
	close(fd);
	return (vfs.f_flag & ST_RDONLY) != 0;
}

static int make_memfd(void)
{
	/*
	 * MFD_EXEC: on kernels with vm.memfd_noexec a memfd is not executable unless asked for;
	 * older kernels reject the flag, and their memfds are executable anyway.
	 */
	int fd = memfd_create("orch-init", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("orch-init", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	return fd;
}

static int copy_self(int dst, struct orch_error *err)
{
	int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	off_t done = 0;

	if (src < 0)
		return orch_fail(err, errno, "open /proc/self/exe");
	if (fstat(src, &st) < 0) {
		orch_fail(err, errno, "fstat /proc/self/exe");
		close(src);
		return -1;
	}
	while (done < st.st_size) {
		ssize_t n = sendfile(dst, src, &done, (size_t)(st.st_size - done));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO; /* the file shrank under us */
			orch_fail(err, errno, "copy /proc/self/exe into a memfd");
			close(src);
			return -1;
		}
	}
	close(src);
	return 0;
}

int cloned_binary_ensure(char **argv, struct orch_error *err)
{
	int protected = is_protected(err);
	int fd;

	if (protected != 0)
		return protected < 0 ? -1 : 0;
	fd = make_memfd();
	if (fd < 0)
		return orch_fail(err, errno, "memfd_create");
	if (copy_self(fd, err) < 0) {
		close(fd);
		return -1;
	}
	/* F_SEAL_EXEC (Linux 6.3+) also freezes the mode bits; older kernels do not know it. */
	if (fcntl(fd, F_ADD_SEALS, F_SEAL_EXEC) < 0 && errno != EINVAL) {
		orch_fail(err, errno, "seal the memfd copy (F_SEAL_EXEC)");
		close(fd);
		return -1;
	}
	if (fcntl(fd, F_ADD_SEALS, REQUIRED_SEALS) < 0) {
		orch_fail(err, errno, "seal the memfd copy");
		close(fd);
		return -1;
	}
	/* The memfd is close-on-exec: the new image keeps it only as its /proc/self/exe. */
	fexecve(fd, argv, environ);
	/* vm.memfd_noexec=2 forbids executing any memfd: the read-only mount is the way left. */
	orch_fail(err, errno, "exec the sealed memfd copy of orch-init (where memfds may not be "
			      "executed, install orch-init on a read-only mount)");
	close(fd);
	return -1;
}

#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

#define PTMX_PATH "/dev/pts/ptmx"

/*
 * The ptmx node of a devpts instance is inode 2, 5:2, on a devpts super block. A 5:2 node
 * anywhere else (say one shipped in the image) opens the host's initial devpts instead.
 */
static int check_ptmx(int fd, struct stat *st, struct orch_error *err)
{
	struct statfs sfs;

	if (fstatfs(fd, &sfs) < 0)
		return orch_fail(err, errno, "statfs %s", PTMX_PATH);
	if (sfs.f_type != DEVPTS_SUPER_MAGIC)
		return orch_fail(err, 0, "%s is not on a devpts mount (fs magic %#lx): mount devpts "
					 "at /dev/pts for process.terminal", PTMX_PATH,
				 (unsigned long)sfs.f_type);
	if (fstat(fd, st) < 0)
		return orch_fail(err, errno, "stat %s", PTMX_PATH);
	if (!S_ISCHR(st->st_mode) || st->st_rdev != makedev(5, 2) || st->st_ino != 2)
		return orch_fail(err, 0, "%s is not the devpts ptmx device (inode %lu, %u:%u)",
				 PTMX_PATH, (unsigned long)st->st_ino, major(st->st_rdev),
				 minor(st->st_rdev));
	return 0;
}

/* Checked through an O_PATH handle first, so nothing unverified is ever opened for real. */
static int open_ptmx(struct orch_error *err)
{
	struct stat want, got;
	int handle, fd;

	handle = open(PTMX_PATH, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (handle < 0)
		return orch_fail(err, errno, "open %s", PTMX_PATH);
	if (check_ptmx(handle, &want, err) < 0) {
		close(handle);
		return -1;
	}
	close(handle);
	/* Nothing else runs in the container yet: the node cannot change in between. */
	fd = open(PTMX_PATH, O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return orch_fail(err, errno, "open %s", PTMX_PATH);
	if (fstat(fd, &got) < 0 || got.st_dev != want.st_dev || got.st_ino != want.st_ino) {
		close(fd);
		return orch_fail(err, 0, "%s changed while it was opened", PTMX_PATH);
	}
	return fd;
}

int pty_open(int *master, int *slave, unsigned int *index, struct orch_error *err)
{
	int unlock = 0;
	int m, s;

	m = open_ptmx(err);
	if (m < 0)
		return -1;
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
		orch_fail(err, errno, "unlock the new pty (TIOCSPTLCK)");
		goto fail;
	}
	if (ioctl(m, TIOCGPTN, index) < 0) {
		orch_fail(err, errno, "number of the new pty (TIOCGPTN)");
		goto fail;
	}
	/* The peer straight from the master: no /dev/pts/N path lookup to trust. */
	s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (s < 0) {
		orch_fail(err, errno, "open the pty's slave (TIOCGPTPEER, Linux 4.13+)");
		goto fail;
	}
	*master = m;
	*slave = s;
	return 0;
fail:
	close(m);
	return -1;
}

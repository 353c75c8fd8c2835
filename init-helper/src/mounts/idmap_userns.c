#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../nsexec/proc_write.h"
#include "mounts.h"

/* The kernel takes at most one page per map write. */
#define MAP_TEXT_SIZE 4096

/* A spec id-mapping array as the "containerID hostID size" lines uid_map/gid_map take. */
static int format_map(json_object *maps, const char *what, char *buf, struct orch_error *err)
{
	size_t len = 0;

	if (!maps || !json_object_is_type(maps, json_type_array) || json_object_array_length(maps) == 0)
		return orch_fail(err, 0, "%s: at least one mapping is required", what);
	buf[0] = '\0';
	for (size_t i = 0; i < json_object_array_length(maps); i++) {
		json_object *m = json_object_array_get_idx(maps, i);
		long long inside = cfg_int(m, "containerID", -1);
		long long outside = cfg_int(m, "hostID", -1);
		long long size = cfg_int(m, "size", -1);
		if (inside < 0 || outside < 0 || size <= 0)
			return orch_fail(err, 0, "%s[%zu]: containerID, hostID and size are required", what, i);
		int n = snprintf(buf + len, MAP_TEXT_SIZE - len, "%lld %lld %lld\n", inside, outside, size);
		if (n < 0 || (size_t)n >= MAP_TEXT_SIZE - len)
			return orch_fail(err, E2BIG, "%s", what);
		len += (size_t)n;
	}
	return 0;
}

/* One cached namespace: id-mapped mounts of a container usually share their mapping. */
static struct {
	char uid_map[MAP_TEXT_SIZE];
	char gid_map[MAP_TEXT_SIZE];
	int fd;
} cached = { .fd = -1 };

static int write_maps(pid_t pid, const char *uid_map, const char *gid_map, struct orch_error *err)
{
	char path[64];

	snprintf(path, sizeof path, "/proc/%d/uid_map", (int)pid);
	if (proc_write(path, uid_map, err) < 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%d/gid_map", (int)pid);
	return proc_write(path, gid_map, err);
}

/* A user namespace exists as long as something refers to it: a short-lived child creates it,
 * we write its maps (as host root, any mapping is allowed) and keep an fd of it (what runc's
 * helper process does too). */
static int create_userns(const char *uid_map, const char *gid_map, struct orch_error *err)
{
	int hold[2];
	int ret = -1;

	if (pipe2(hold, O_CLOEXEC) < 0)
		return orch_fail(err, errno, "pipe");
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)(CLONE_NEWUSER | SIGCHLD), NULL, NULL, NULL, NULL);
	if (pid < 0) {
		int e = errno;
		close(hold[0]);
		close(hold[1]);
		return orch_fail(err, e, "clone a process in a new user namespace");
	}
	if (pid == 0) {
		char c;
		/* Stay until the parent has what it needs (it closes its end). */
		close(hold[1]);
		while (read(hold[0], &c, 1) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	close(hold[0]);
	if (write_maps(pid, uid_map, gid_map, err) == 0) {
		char path[64];
		snprintf(path, sizeof path, "/proc/%d/ns/user", (int)pid);
		ret = open(path, O_RDONLY | O_CLOEXEC);
		if (ret < 0)
			orch_fail(err, errno, "open %s", path);
	}
	close(hold[1]);
	while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
		;
	return ret;
}

int idmap_userns_open(json_object *uid_maps, json_object *gid_maps, struct orch_error *err)
{
	char uid_map[MAP_TEXT_SIZE], gid_map[MAP_TEXT_SIZE];

	if (format_map(uid_maps, "uidMappings", uid_map, err) < 0 ||
	    format_map(gid_maps, "gidMappings", gid_map, err) < 0)
		return -1;
	if (cached.fd < 0 || strcmp(cached.uid_map, uid_map) != 0 || strcmp(cached.gid_map, gid_map) != 0) {
		int fd = create_userns(uid_map, gid_map, err);
		if (fd < 0)
			return -1;
		if (cached.fd >= 0)
			close(cached.fd);
		cached.fd = fd;
		memcpy(cached.uid_map, uid_map, sizeof uid_map);
		memcpy(cached.gid_map, gid_map, sizeof gid_map);
	}
	int fd = fcntl(cached.fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return orch_fail(err, errno, "dup the user namespace fd");
	return fd;
}

void idmap_userns_release(void)
{
	if (cached.fd >= 0)
		close(cached.fd);
	cached.fd = -1;
}

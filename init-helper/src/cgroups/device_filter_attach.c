#include "device_filter.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The most device programs one cgroup is expected to carry; more is an error, not a truncation. */
#define MAX_OLD_PROGS 64

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

/* Loads the program; on a verifier refusal, loads it again with the log on to say why. */
static int load_program(const struct bpf_insn *insns, size_t count, struct orch_error *err)
{
	static char log[16384];
	static const char license[] = "Apache";
	union bpf_attr attr;
	int fd, saved;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	attr.insns = (uint64_t)(uintptr_t)insns;
	attr.insn_cnt = (uint32_t)count;
	attr.license = (uint64_t)(uintptr_t)license;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	saved = errno;
	if (saved != EINVAL && saved != EACCES)
		return orch_fail(err, saved, "bpf(BPF_PROG_LOAD) of the device filter");
	log[0] = '\0';
	attr.log_buf = (uint64_t)(uintptr_t)log;
	attr.log_size = sizeof(log);
	attr.log_level = 1;
	fd = sys_bpf(BPF_PROG_LOAD, &attr);
	if (fd >= 0)
		return fd;
	/* keep the verifier's last line: it names the offending instruction */
	for (size_t n = strlen(log); n > 0 && log[n - 1] == '\n'; n--)
		log[n - 1] = '\0';
	const char *last = strrchr(log, '\n');
	return orch_fail(err, saved, "bpf(BPF_PROG_LOAD) of the device filter (verifier: %s)",
			 last != NULL ? last + 1 : log);
}

/* Ids of the device programs attached to the cgroup now (a fresh cgroup has none). */
static int query_programs(int cgroup_fd, uint32_t *ids, uint32_t *count, struct orch_error *err)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.query.target_fd = (uint32_t)cgroup_fd;
	attr.query.attach_type = BPF_CGROUP_DEVICE;
	attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
	attr.query.prog_cnt = *count;
	if (sys_bpf(BPF_PROG_QUERY, &attr) < 0)
		return orch_fail(err, errno, "bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE)");
	*count = attr.query.prog_cnt;
	return 0;
}

static int detach_program(int cgroup_fd, uint32_t id, struct orch_error *err)
{
	union bpf_attr attr;
	int prog_fd, rc = 0;

	memset(&attr, 0, sizeof(attr));
	attr.prog_id = id;
	prog_fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
	if (prog_fd < 0) {
		/* detached (and freed) by someone else meanwhile: nothing to do */
		if (errno == ENOENT)
			return 0;
		return orch_fail(err, errno, "bpf(BPF_PROG_GET_FD_BY_ID, %u)", id);
	}
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	if (sys_bpf(BPF_PROG_DETACH, &attr) < 0)
		rc = orch_fail(err, errno, "bpf(BPF_PROG_DETACH) of old device filter %u", id);
	if (close(prog_fd) < 0 && rc == 0)
		rc = orch_fail(err, errno, "close program fd");
	return rc;
}

int device_filter_attach(const char *cgroup_dir, const struct bpf_insn *insns, size_t count,
			 struct orch_error *err)
{
	struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
	uint32_t old_ids[MAX_OLD_PROGS];
	uint32_t old_count = MAX_OLD_PROGS;
	union bpf_attr attr;
	int cgroup_fd, prog_fd, rc = -1;

	/* kernels before 5.11 charge BPF memory to RLIMIT_MEMLOCK; later ones to the memcg */
	if (setrlimit(RLIMIT_MEMLOCK, &unlimited) < 0 && errno != EPERM)
		return orch_fail(err, errno, "setrlimit(RLIMIT_MEMLOCK)");
	cgroup_fd = open(cgroup_dir, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
	if (cgroup_fd < 0)
		return orch_fail(err, errno, "open %s", cgroup_dir);
	if (query_programs(cgroup_fd, old_ids, &old_count, err) < 0)
		goto out_cgroup;
	if (old_count > MAX_OLD_PROGS) {
		orch_fail(err, 0, "%s has %u device programs attached", cgroup_dir, old_count);
		goto out_cgroup;
	}
	prog_fd = load_program(insns, count, err);
	if (prog_fd < 0)
		goto out_cgroup;
	memset(&attr, 0, sizeof(attr));
	attr.target_fd = (uint32_t)cgroup_fd;
	attr.attach_bpf_fd = (uint32_t)prog_fd;
	attr.attach_type = BPF_CGROUP_DEVICE;
	/* ALLOW_MULTI: the new filter goes in next to the old ones, which go next; no gap without one */
	attr.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &attr) < 0) {
		orch_fail(err, errno, "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) to %s",
			  cgroup_dir);
		goto out_prog;
	}
	rc = 0;
	for (uint32_t i = 0; i < old_count && rc == 0; i++)
		rc = detach_program(cgroup_fd, old_ids[i], err);
out_prog:
	/* the attachment holds its own reference to the program */
	if (close(prog_fd) < 0 && rc == 0)
		rc = orch_fail(err, errno, "close program fd");
out_cgroup:
	if (close(cgroup_fd) < 0 && rc == 0)
		rc = orch_fail(err, errno, "close %s", cgroup_dir);
	return rc;
}

/*
 * runc's -ENOSYS stub (libcontainer/seccomp/patchbpf), rebuilt for orch. A profile written
 * before a syscall existed refuses it with the default action (EPERM for Docker-style
 * profiles); programs treat EPERM as a real refusal, while ENOSYS makes them fall back (glibc's
 * clone3 -> clone, close_range -> a loop). So a syscall numbered above every syscall the profile
 * names, on that architecture, gets ENOSYS: a short BPF program runs before libseccomp's filter.
 *
 *   ld  [arch]
 *   jeq ARCH_i -> section_i        (one per architecture in the filter)
 *   ja  filter                     (any other architecture: the filter decides)
 * section_i:
 *   ld  [nr]
 *   jgt MAX_i -> enosys            (x86-64 with x32: bit 30 picks which maximum)
 *   ja  filter
 * enosys:
 *   ret ERRNO(ENOSYS)
 * filter:
 *   <libseccomp's program>
 */
#include "seccomp_filter.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#define MAX_ARCHES 8
#define MAX_STUB 128
#define X32_BIT 0x40000000U

struct arch_limit {
	uint32_t audit;		/* AUDIT_ARCH_* the kernel reports */
	int max_native;		/* highest syscall the profile names (x86-64: the 64-bit ABI), -1 none */
	int max_x32;		/* x86-64 only: the highest x32 syscall, -1 none */
	bool s390;		/* s390(x): syscall 0 multiplexes numbers the kernel does not know */
};

struct stub {
	struct sock_filter insn[MAX_STUB];
	size_t len;
};

static void emit(struct stub *s, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (s->len < MAX_STUB)
		s->insn[s->len] = (struct sock_filter){ code, jt, jf, k };
	s->len++;
}

/* The highest number, on `arch`, of any syscall the profile names; -1 when it names none there. */
static int max_syscall(json_object *seccomp, uint32_t arch)
{
	json_object *list = json_object_object_get(seccomp, "syscalls");
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;
	int max = -1;

	for (size_t i = 0; i < n; i++) {
		json_object *names = json_object_object_get(json_object_array_get_idx(list, i), "names");
		size_t count = names && json_object_is_type(names, json_type_array) ?
				       json_object_array_length(names) : 0;

		for (size_t k = 0; k < count; k++) {
			const char *name = json_object_get_string(json_object_array_get_idx(names, k));
			/* negative: not a syscall on this architecture */
			int nr = name ? seccomp_syscall_resolve_name_arch(arch, name) : -1;

			if (nr > max)
				max = nr;
		}
	}
	return max;
}

/* The architectures of the filter (the native one always), grouped by AUDIT_ARCH. */
static size_t collect_arches(scmp_filter_ctx ctx, json_object *seccomp, struct arch_limit *out)
{
	static const uint32_t candidates[] = {
		SCMP_ARCH_X86,	   SCMP_ARCH_X86_64,   SCMP_ARCH_X32,	      SCMP_ARCH_ARM,
		SCMP_ARCH_AARCH64, SCMP_ARCH_MIPS,     SCMP_ARCH_MIPS64,      SCMP_ARCH_MIPS64N32,
		SCMP_ARCH_MIPSEL,  SCMP_ARCH_MIPSEL64, SCMP_ARCH_MIPSEL64N32, SCMP_ARCH_PPC,
		SCMP_ARCH_PPC64,   SCMP_ARCH_PPC64LE,  SCMP_ARCH_S390,	      SCMP_ARCH_S390X,
		SCMP_ARCH_PARISC,  SCMP_ARCH_PARISC64, SCMP_ARCH_RISCV64,
	};
	size_t n = 0;

	for (size_t c = 0; c < sizeof(candidates) / sizeof(candidates[0]); c++) {
		uint32_t arch = candidates[c];
		/* SCMP_ARCH_X32 is libseccomp's own token: the kernel reports x86-64 for it. */
		uint32_t audit = arch == SCMP_ARCH_X32 ? AUDIT_ARCH_X86_64 : arch;
		int max;
		size_t i;

		if (seccomp_arch_exist(ctx, arch) != 0)
			continue;
		max = max_syscall(seccomp, arch);
		if (max < 0)
			continue;
		for (i = 0; i < n && out[i].audit != audit; i++)
			;
		if (i == n) {
			if (n == MAX_ARCHES)
				break;
			out[n++] = (struct arch_limit){ .audit = audit, .max_native = -1, .max_x32 = -1,
							.s390 = arch == SCMP_ARCH_S390 ||
								arch == SCMP_ARCH_S390X };
		}
		if (arch == SCMP_ARCH_X32)
			out[i].max_x32 = max;
		else
			out[i].max_native = max;
	}
	return n;
}

/* Instructions of one architecture's section (see the layout above). */
static size_t section_len(const struct arch_limit *a)
{
	size_t len = 2 + (a->s390 ? 1 : 0); /* ld nr, ..., ja filter */

	if (a->audit == AUDIT_ARCH_X86_64)
		return len + (a->max_native >= 0 && a->max_x32 >= 0 ? 3 : 2);
	return len + 1;
}

static int build_stub(const struct arch_limit *arches, size_t n, struct stub *s,
		      struct orch_error *err)
{
	size_t start[MAX_ARCHES], enosys;
	size_t pos = 1 + n + 1; /* ld arch, one jeq per architecture, ja filter */

	for (size_t i = 0; i < n; i++) {
		start[i] = pos;
		pos += section_len(&arches[i]);
	}
	enosys = pos;
	if (enosys + 1 > MAX_STUB || enosys > 255)
		return orch_fail(err, 0, "seccomp: the -ENOSYS stub is too long (%zu architectures)", n);

	s->len = 0;
	emit(s, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, arch));
	for (size_t i = 0; i < n; i++)
		emit(s, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(start[i] - s->len - 1), 0, arches[i].audit);
	emit(s, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(enosys + 1 - s->len - 1));
	for (size_t i = 0; i < n; i++) {
		const struct arch_limit *a = &arches[i];
		size_t filter_at = enosys + 1;

		emit(s, BPF_LD | BPF_W | BPF_ABS, 0, 0, offsetof(struct seccomp_data, nr));
		if (a->s390)
			emit(s, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(enosys - s->len - 1), 0, 0);
		if (a->audit == AUDIT_ARCH_X86_64 && a->max_native >= 0 && a->max_x32 >= 0) {
			/* bit 30 set: an x32 call, checked against the x32 maximum */
			emit(s, BPF_JMP | BPF_JSET | BPF_K, 1, 0, X32_BIT);
			emit(s, BPF_JMP | BPF_JGT | BPF_K, (uint8_t)(enosys - s->len - 1), 1,
			     (uint32_t)a->max_native);
			emit(s, BPF_JMP | BPF_JGT | BPF_K, (uint8_t)(enosys - s->len - 1), 0,
			     (uint32_t)a->max_x32);
		} else if (a->audit == AUDIT_ARCH_X86_64) {
			/* only one of the two ABIs is in the filter: the other one skips the check */
			bool x32 = a->max_x32 >= 0;

			emit(s, BPF_JMP | BPF_JSET | BPF_K, x32 ? 0 : 1, x32 ? 1 : 0, X32_BIT);
			emit(s, BPF_JMP | BPF_JGT | BPF_K, (uint8_t)(enosys - s->len - 1), 0,
			     (uint32_t)(x32 ? a->max_x32 : a->max_native));
		} else {
			emit(s, BPF_JMP | BPF_JGT | BPF_K, (uint8_t)(enosys - s->len - 1), 0,
			     (uint32_t)a->max_native);
		}
		emit(s, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(filter_at - s->len - 1));
	}
	emit(s, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | ENOSYS);
	return s->len == enosys + 1 ? 0 : orch_fail(err, 0, "seccomp: -ENOSYS stub layout mismatch");
}

/* libseccomp's program, as the kernel would get it from seccomp_load. *prog: malloc'd. */
static int export_program(scmp_filter_ctx ctx, struct sock_filter **prog, size_t *len,
			  struct orch_error *err)
{
	int fd = memfd_create("orch-seccomp-bpf", MFD_CLOEXEC);
	off_t size;
	ssize_t n;
	int rc;

	if (fd < 0)
		return orch_fail(err, errno, "seccomp: memfd for the BPF program");
	rc = seccomp_export_bpf(ctx, fd);
	if (rc < 0) {
		close(fd);
		return orch_fail(err, -rc, "seccomp: export the BPF program");
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0) {
		close(fd);
		return orch_fail(err, size < 0 ? errno : 0, "seccomp: exported program of %lld bytes",
				 (long long)size);
	}
	*prog = malloc((size_t)size);
	if (*prog == NULL) {
		close(fd);
		return orch_fail(err, ENOMEM, "seccomp: BPF program");
	}
	n = pread(fd, *prog, (size_t)size, 0);
	close(fd);
	if (n != size) {
		free(*prog);
		return orch_fail(err, n < 0 ? errno : EIO, "seccomp: read the exported program");
	}
	*len = (size_t)size / sizeof(struct sock_filter);
	return 0;
}

/* The SECCOMP_FILTER_FLAG_* that seccomp_load would pass for this filter. */
static unsigned long load_flags(scmp_filter_ctx ctx, bool notify)
{
	unsigned long flags = notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
	uint32_t value = 0;

	if (seccomp_attr_get(ctx, SCMP_FLTATR_CTL_LOG, &value) == 0 && value)
		flags |= SECCOMP_FILTER_FLAG_LOG;
	value = 0;
	if (seccomp_attr_get(ctx, SCMP_FLTATR_CTL_SSB, &value) == 0 && value)
		flags |= SECCOMP_FILTER_FLAG_SPEC_ALLOW;
	return flags;
}

/* A default action that lets calls through, or already answers ENOSYS, needs no stub. */
static bool wants_stub(uint32_t default_action)
{
	uint32_t action = default_action & SECCOMP_RET_ACTION_FULL;

	if (action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG || action == SCMP_ACT_TRACE(0))
		return false;
	return default_action != SCMP_ACT_ERRNO(ENOSYS);
}

int seccomp_load_with_stub(scmp_filter_ctx ctx, json_object *seccomp, uint32_t default_action,
			   bool notify, int *listener, struct orch_error *err)
{
	struct arch_limit arches[MAX_ARCHES];
	struct sock_filter *filter = NULL, *full;
	struct sock_fprog prog;
	struct stub stub = { .len = 0 };
	size_t len = 0, n = 0;
	long rc;

	*listener = -1;
	if (wants_stub(default_action)) {
		n = collect_arches(ctx, seccomp, arches);
		if (n > 0 && build_stub(arches, n, &stub, err) < 0)
			return -1;
	}
	if (export_program(ctx, &filter, &len, err) < 0)
		return -1;
	if (stub.len + len > BPF_MAXINSNS) {
		free(filter);
		return orch_fail(err, 0, "seccomp: the filter has %zu instructions, more than the "
					 "kernel's %d", stub.len + len, BPF_MAXINSNS);
	}
	full = calloc(stub.len + len, sizeof(*full));
	if (full == NULL) {
		free(filter);
		return orch_fail(err, ENOMEM, "seccomp: BPF program");
	}
	memcpy(full, stub.insn, stub.len * sizeof(*full));
	memcpy(full + stub.len, filter, len * sizeof(*full));
	free(filter);
	prog = (struct sock_fprog){ .len = (unsigned short)(stub.len + len), .filter = full };
	rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, load_flags(ctx, notify), &prog);
	free(full);
	if (rc < 0)
		return orch_fail(err, errno, "load the seccomp filter into the kernel");
	if (notify)
		*listener = (int)rc;
	return 0;
}

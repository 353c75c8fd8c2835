#include "device_filter.h"

#include <errno.h>
#include <stdlib.h>

/* struct bpf_insn by hand: libbpf is not a dependency (runc and crun do the same). */
static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	struct bpf_insn i = { .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };

	return i;
}

/* Registers as the program uses them: r1 = ctx (then scratch), r2 type, r3 access, r4 major, r5 minor. */
enum { R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5 };

/* A jump to the next rule's block, patched once the block's length is known. */
#define JUMP_TO_NEXT INT16_MIN

int device_filter_build(const struct device_rule *rules, size_t n, bool default_allow,
			struct bpf_insn **insns, size_t *count, struct orch_error *err)
{
	/* prologue 6 + at most 8 per rule + epilogue 2 */
	size_t cap = 8 + 8 * n, len = 0;
	struct bpf_insn *p;

	if (n > 4096)
		return orch_fail(err, 0, "too many device rules (%zu)", n);
	p = calloc(cap, sizeof(*p));
	if (p == NULL)
		return orch_fail(err, errno, "allocate device filter");

	/* struct bpf_cgroup_dev_ctx { u32 access_type (access << 16 | type); u32 major; u32 minor; } */
	p[len++] = insn(BPF_LDX | BPF_MEM | BPF_W, R2, R1, 0, 0);
	p[len++] = insn(BPF_ALU | BPF_AND | BPF_K, R2, 0, 0, 0xFFFF);
	p[len++] = insn(BPF_LDX | BPF_MEM | BPF_W, R3, R1, 0, 0);
	p[len++] = insn(BPF_ALU | BPF_RSH | BPF_K, R3, 0, 0, 16);
	p[len++] = insn(BPF_LDX | BPF_MEM | BPF_W, R4, R1, 4, 0);
	p[len++] = insn(BPF_LDX | BPF_MEM | BPF_W, R5, R1, 8, 0);

	for (size_t r = 0; r < n; r++) {
		const struct device_rule *rule = &rules[r];
		const uint32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
		size_t start = len;
		int32_t type;

		if (rule->type == 'c')
			type = BPF_DEVCG_DEV_CHAR;
		else if (rule->type == 'b')
			type = BPF_DEVCG_DEV_BLOCK;
		else {
			free(p);
			return orch_fail(err, 0, "device rule %zu: invalid type '%c'", r, rule->type);
		}
		if (rule->major > UINT32_MAX || rule->minor > UINT32_MAX || rule->access == 0 ||
		    (rule->access & ~all) != 0) {
			free(p);
			return orch_fail(err, 0, "device rule %zu: invalid major, minor or access", r);
		}
		p[len++] = insn(BPF_JMP | BPF_JNE | BPF_K, R2, 0, JUMP_TO_NEXT, type);
		if (rule->access != all) {
			/* the requested access must be a subset of the rule's: (r3 & access) == r3 */
			p[len++] = insn(BPF_ALU | BPF_MOV | BPF_X, R1, R3, 0, 0);
			p[len++] = insn(BPF_ALU | BPF_AND | BPF_K, R1, 0, 0, (int32_t)rule->access);
			p[len++] = insn(BPF_JMP | BPF_JNE | BPF_X, R1, R3, JUMP_TO_NEXT, 0);
		}
		if (rule->major >= 0)
			p[len++] = insn(BPF_JMP | BPF_JNE | BPF_K, R4, 0, JUMP_TO_NEXT, (int32_t)rule->major);
		if (rule->minor >= 0)
			p[len++] = insn(BPF_JMP | BPF_JNE | BPF_K, R5, 0, JUMP_TO_NEXT, (int32_t)rule->minor);
		p[len++] = insn(BPF_ALU | BPF_MOV | BPF_K, R0, 0, 0, rule->allow ? 1 : 0);
		p[len++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		/* every mismatch jumps to the first instruction after this block */
		for (size_t i = start; i < len; i++) {
			if (p[i].off == JUMP_TO_NEXT)
				p[i].off = (int16_t)(len - (i + 1));
		}
	}
	p[len++] = insn(BPF_ALU | BPF_MOV | BPF_K, R0, 0, 0, default_allow ? 1 : 0);
	p[len++] = insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	*insns = p;
	*count = len;
	return 0;
}

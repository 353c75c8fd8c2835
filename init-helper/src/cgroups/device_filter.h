#ifndef ORCH_DEVICE_FILTER_H
#define ORCH_DEVICE_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "../error/error.h"

/* One rule of the minimal ordered list the orchestrator's device emulator produces. */
struct device_rule {
	char type;	 /* 'b' or 'c' */
	int64_t major;	 /* -1: any */
	int64_t minor;	 /* -1: any */
	uint32_t access; /* BPF_DEVCG_ACC_* bits */
	bool allow;
};

/*
 * Builds a BPF_PROG_TYPE_CGROUP_DEVICE program (runc's devicefilter): the first rule that matches
 * the device's type, major, minor and covers the requested access decides; none: default_allow.
 * *insns is malloc'd (the caller frees it).
 */
int device_filter_build(const struct device_rule *rules, size_t n, bool default_allow,
			struct bpf_insn **insns, size_t *count, struct orch_error *err);

/* Loads the program and attaches it to the cgroup dir, replacing any device programs there. */
int device_filter_attach(const char *cgroup_dir, const struct bpf_insn *insns, size_t count,
			 struct orch_error *err);

#endif

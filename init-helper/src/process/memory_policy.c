/*
 * linux.memoryPolicy: the NUMA policy the container's processes start with (set_mempolicy(2),
 * inherited over fork and kept by execve), set by the init and by exec's setns init just before
 * they exec, as runc 1.4 does.
 */
#include "process.h"

#include "../config/flag_list.h"
#include "../config/id_list.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* <linux/mempolicy.h>'s values; Debian 12's headers predate the newest two modes. */
#define MPOL_DEFAULT_ 0
#define MPOL_PREFERRED_ 1
#define MPOL_BIND_ 2
#define MPOL_INTERLEAVE_ 3
#define MPOL_LOCAL_ 4
#define MPOL_PREFERRED_MANY_ 5
#define MPOL_WEIGHTED_INTERLEAVE_ 6
#define MPOL_F_NUMA_BALANCING_ (1 << 13)
#define MPOL_F_RELATIVE_NODES_ (1 << 14)
#define MPOL_F_STATIC_NODES_ (1 << 15)

/* The node ids a list may name: the kernel's MAX_NUMNODES is at most 1024. */
#define NODES_MAX 1024

static const struct flag_name modes[] = {
	{ "MPOL_DEFAULT", MPOL_DEFAULT_ },
	{ "MPOL_PREFERRED", MPOL_PREFERRED_ },
	{ "MPOL_BIND", MPOL_BIND_ },
	{ "MPOL_INTERLEAVE", MPOL_INTERLEAVE_ },
	{ "MPOL_LOCAL", MPOL_LOCAL_ },
	{ "MPOL_PREFERRED_MANY", MPOL_PREFERRED_MANY_ },
	{ "MPOL_WEIGHTED_INTERLEAVE", MPOL_WEIGHTED_INTERLEAVE_ },
};

static const struct flag_name flags[] = {
	{ "MPOL_F_NUMA_BALANCING", MPOL_F_NUMA_BALANCING_ },
	{ "MPOL_F_RELATIVE_NODES", MPOL_F_RELATIVE_NODES_ },
	{ "MPOL_F_STATIC_NODES", MPOL_F_STATIC_NODES_ },
};

static void set_nodes(unsigned long first, unsigned long last, void *arg)
{
	unsigned long *mask = arg;
	const unsigned long bits = 8 * sizeof(*mask);

	for (unsigned long n = first; n <= last; n++)
		mask[n / bits] |= 1UL << (n % bits);
}

int memory_policy_apply(json_object *linux_obj, struct orch_error *err)
{
	json_object *policy = cfg_get(linux_obj, "memoryPolicy");
	unsigned long mask[NODES_MAX / (8 * sizeof(unsigned long))] = { 0 };
	const char *mode_name, *nodes;
	uint64_t mode_flags;
	int mode = -1;

	if (policy == NULL)
		return 0;
	mode_name = cfg_string(policy, "mode");
	for (size_t i = 0; mode_name && i < sizeof(modes) / sizeof(modes[0]) && mode < 0; i++)
		if (strcmp(modes[i].name, mode_name) == 0)
			mode = (int)modes[i].value;
	if (mode < 0)
		return orch_fail(err, 0, "linux.memoryPolicy.mode \"%s\" is not known", mode_name ? mode_name : "");
	if (flag_list_parse(cfg_get(policy, "flags"), flags, sizeof(flags) / sizeof(flags[0]),
			    "linux.memoryPolicy.flags", &mode_flags, err) < 0)
		return -1;
	mode |= (int)mode_flags;
	nodes = cfg_string(policy, "nodes");
	if (nodes != NULL && nodes[0] != '\0' && id_list_parse(nodes, NODES_MAX - 1, set_nodes, mask) < 0)
		return orch_fail(err, errno == E2BIG ? E2BIG : 0,
				 "linux.memoryPolicy.nodes: \"%.64s\" is not a node list such as \"0-3,7\"", nodes);
	/* maxnode counts bits, and the kernel reads one fewer than it is given. */
	if (syscall(SYS_set_mempolicy, mode, nodes && nodes[0] ? mask : NULL,
		    nodes && nodes[0] ? (unsigned long)NODES_MAX + 1 : 0UL) < 0)
		return orch_fail(err, errno, "linux.memoryPolicy: set_mempolicy(%s, nodes \"%s\")",
				 mode_name, nodes ? nodes : "");
	return 0;
}

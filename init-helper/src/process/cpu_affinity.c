/*
 * CPU affinity. The init never keeps the caller's affinity (an orch started under `taskset`
 * would pin the container): after it is in the container's cgroup it asks for every CPU and the
 * kernel narrows that to the cgroup's cpuset, as runc 1.2+ does. process.execCPUAffinity lists
 * are parsed (and so checked at create) here; they apply to processes joined with `exec`.
 */
#include "process.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Highest CPU id accepted in a list: a sanity bound, as in runc. */
#define CPU_ID_MAX (64 * 1024)
/* The kernel takes a list of at most a page; so does the orchestrator. */
#define CPU_LIST_MAX 4095

/* A decimal CPU id as the kernel writes one: digits only, no sign, no blank, no leading zero. */
static const char *cpu_id(const char *p, long *id)
{
	long v = 0;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (*p - '0');
		if (v > CPU_ID_MAX)
			return NULL;
	}
	*id = v;
	return p;
}

/* Sets CPUs first..last, a word at a time: the cost is the list's length plus the set's size,
 * never the sum of the ranges' widths. */
static void set_range(cpu_set_t *set, long first, long last)
{
	unsigned long *words = (unsigned long *)set;
	const long bits = (long)(8 * sizeof(*words));

	while (first <= last && first % bits != 0)
		CPU_SET_S((size_t)first++, CPU_ALLOC_SIZE(CPU_ID_MAX + 1), set);
	for (; first + bits - 1 <= last; first += bits)
		words[first / bits] = ~0UL;
	while (first <= last)
		CPU_SET_S((size_t)first++, CPU_ALLOC_SIZE(CPU_ID_MAX + 1), set);
}

int cpu_list_parse(const char *list, cpu_set_t **set, size_t *size, struct orch_error *err)
{
	size_t len = strnlen(list, CPU_LIST_MAX + 1);
	long max_id = -1;
	const char *p = list;

	*set = NULL;
	*size = 0;
	if (len > CPU_LIST_MAX)
		return orch_fail(err, E2BIG, "cpu list of more than %d bytes", CPU_LIST_MAX);
	*size = CPU_ALLOC_SIZE(CPU_ID_MAX + 1);
	*set = CPU_ALLOC(CPU_ID_MAX + 1);
	if (*set == NULL)
		return orch_fail(err, ENOMEM, "cpu list");
	CPU_ZERO_S(*size, *set);
	/* The kernel's cpulist: N or N-M, separated by single commas. */
	for (;;) {
		long first, last;

		if ((p = cpu_id(p, &first)) == NULL)
			goto bad;
		last = first;
		if (*p == '-' && ((p = cpu_id(p + 1, &last)) == NULL || last < first))
			goto bad;
		set_range(*set, first, last);
		if (last > max_id)
			max_id = last;
		if (*p == '\0')
			break;
		if (*p++ != ',')
			goto bad;
	}
	/* Only as large as the highest CPU named: sched_setaffinity reads `size` bytes. */
	*size = CPU_ALLOC_SIZE(max_id + 1);
	return 0;
bad:
	CPU_FREE(*set);
	*set = NULL;
	*size = 0;
	return orch_fail(err, 0, "cpu list \"%s\" is not a list such as \"0-3,7\"", list);
}

int cpu_affinity_check(json_object *process, struct orch_error *err)
{
	json_object *aff = cfg_get(process, "execCPUAffinity");
	static const char *const keys[] = { "initial", "final" };

	for (size_t i = 0; aff != NULL && i < 2; i++) {
		const char *list = cfg_string(aff, keys[i]);
		cpu_set_t *set;
		size_t size;

		if (list == NULL || list[0] == '\0')
			continue;
		if (cpu_list_parse(list, &set, &size, err) < 0)
			return orch_wrap(err, "process.execCPUAffinity.%s: ", keys[i]);
		CPU_FREE(set);
	}
	return 0;
}

void cpu_affinity_reset(void)
{
	size_t size = CPU_ALLOC_SIZE(CPU_ID_MAX);
	cpu_set_t *all = CPU_ALLOC(CPU_ID_MAX);

	if (all == NULL)
		return;
	memset(all, 0xff, size);
	/* The kernel clamps the mask to the CPUs that exist and the cgroup's cpuset. */
	if (sched_setaffinity(0, size, all) < 0)
		fprintf(stderr, "orch-init: warning: reset the CPU affinity: %s\n", strerror(errno));
	CPU_FREE(all);
}

int cpu_affinity_set(const char *list, const char *what, struct orch_error *err)
{
	cpu_set_t *set;
	size_t size;
	int rc = 0;

	if (list == NULL || list[0] == '\0')
		return 0;
	if (cpu_list_parse(list, &set, &size, err) < 0)
		return orch_wrap(err, "%s: ", what);
	if (sched_setaffinity(0, size, set) < 0)
		rc = orch_fail(err, errno, "%s: sched_setaffinity %s", what, list);
	CPU_FREE(set);
	return rc;
}

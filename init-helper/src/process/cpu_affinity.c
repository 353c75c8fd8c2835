/*
 * CPU affinity. The init never keeps the caller's affinity (an orch started under `taskset`
 * would pin the container): after it is in the container's cgroup it asks for every CPU and the
 * kernel narrows that to the cgroup's cpuset, as runc 1.2+ does. process.execCPUAffinity lists
 * are parsed (and so checked at create) here; they apply to processes joined with `exec`.
 */
#include "process.h"

#include "../config/id_list.h"
#include "../log/log.h"

#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Highest CPU id accepted in a list: a sanity bound, as in runc. */
#define CPU_ID_MAX (64 * 1024)

struct cpu_ranges {
	cpu_set_t *set;
	unsigned long max;
};

/* Sets CPUs first..last a word at a time: the cost is the list's length plus the set's size,
 * never the sum of the ranges' widths. */
static void set_range(unsigned long first, unsigned long last, void *arg)
{
	struct cpu_ranges *r = arg;
	unsigned long *words = (unsigned long *)r->set;
	const unsigned long bits = 8 * sizeof(*words);

	if (last > r->max)
		r->max = last;
	while (first <= last && first % bits != 0)
		CPU_SET_S(first++, CPU_ALLOC_SIZE(CPU_ID_MAX + 1), r->set);
	for (; first + bits - 1 <= last; first += bits)
		words[first / bits] = ~0UL;
	while (first <= last)
		CPU_SET_S(first++, CPU_ALLOC_SIZE(CPU_ID_MAX + 1), r->set);
}

int cpu_list_parse(const char *list, cpu_set_t **set, size_t *size, struct orch_error *err)
{
	struct cpu_ranges r = { .set = CPU_ALLOC(CPU_ID_MAX + 1), .max = 0 };

	*set = NULL;
	*size = 0;
	if (r.set == NULL)
		return orch_fail(err, ENOMEM, "cpu list");
	CPU_ZERO_S(CPU_ALLOC_SIZE(CPU_ID_MAX + 1), r.set);
	if (id_list_parse(list, CPU_ID_MAX, set_range, &r) < 0) {
		CPU_FREE(r.set);
		if (errno == E2BIG)
			return orch_fail(err, E2BIG, "cpu list of more than %d bytes", ID_LIST_MAX);
		return orch_fail(err, 0, "cpu list \"%s\" is not a list such as \"0-3,7\"", list);
	}
	*set = r.set;
	/* Only as large as the highest CPU named: sched_setaffinity reads `size` bytes. */
	*size = CPU_ALLOC_SIZE(r.max + 1);
	return 0;
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
		orch_log(ORCH_LOG_WARNING, "reset the CPU affinity: %s", strerror(errno));
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

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

int cpu_list_parse(const char *list, cpu_set_t **set, size_t *size, struct orch_error *err)
{
	const char *p = list;
	long max_id = -1;

	*set = NULL;
	*size = 0;
	/* Two passes: the first finds the highest id so the set can be sized for it. */
	for (int pass = 0; pass < 2; pass++) {
		p = list;
		while (*p != '\0') {
			long first, last;
			char *end;

			while (*p == ' ' || *p == ',')
				p++;
			if (*p == '\0')
				break;
			errno = 0;
			first = strtol(p, &end, 10);
			if (end == p || errno != 0 || first < 0 || first > CPU_ID_MAX)
				goto bad;
			last = first;
			p = end;
			if (*p == '-') {
				p++;
				last = strtol(p, &end, 10);
				if (end == p || errno != 0 || last < first || last > CPU_ID_MAX)
					goto bad;
				p = end;
			}
			while (*p == ' ')
				p++;
			if (*p != ',' && *p != '\0')
				goto bad;
			if (pass == 0 && last > max_id)
				max_id = last;
			for (long cpu = first; pass == 1 && cpu <= last; cpu++)
				CPU_SET_S((size_t)cpu, *size, *set);
		}
		if (pass == 0) {
			if (max_id < 0)
				return orch_fail(err, 0, "cpu list \"%s\" names no CPU", list);
			*size = CPU_ALLOC_SIZE(max_id + 1);
			*set = CPU_ALLOC(max_id + 1);
			if (*set == NULL)
				return orch_fail(err, ENOMEM, "cpu list \"%s\"", list);
			CPU_ZERO_S(*size, *set);
		}
	}
	return 0;
bad:
	CPU_FREE(*set);
	*set = NULL;
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

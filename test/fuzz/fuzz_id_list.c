/* CPU and memory-node lists (execCPUAffinity, memoryPolicy.nodes), as the kernel writes them. */
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/id_list.h"
#include "process/process.h"

static void count(unsigned long first, unsigned long last, void *arg)
{
	*(unsigned long *)arg += last - first + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *list = malloc(size + 1);
	struct orch_error err;
	unsigned long ids = 0;
	cpu_set_t *set;
	size_t set_size;

	if (list == NULL)
		return 0;
	memcpy(list, data, size);
	list[size] = '\0';
	id_list_parse(list, 1023, count, &ids);
	if (cpu_list_parse(list, &set, &set_size, &err) == 0)
		CPU_FREE(set);
	free(list);
	return 0;
}

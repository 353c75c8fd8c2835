#include <stdio.h>

#include "mounts.h"

bool running_in_userns(void)
{
	FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long long inside, outside, count;
	bool in_userns;

	/* No uid_map: a kernel without user namespaces, so the initial one. */
	if (!f)
		return false;
	if (fscanf(f, "%llu %llu %llu", &inside, &outside, &count) != 3)
		in_userns = true;	/* an empty map: a new namespace not yet mapped */
	else
		in_userns = !(inside == 0 && outside == 0 && count == 4294967295ULL);
	fclose(f);
	return in_userns;
}

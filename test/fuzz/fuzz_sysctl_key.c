/* The helper's own check of a sysctl key, the last line before /proc/sys. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rootfs/sysctl_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *key = malloc(size + 1);
	struct orch_error err;
	const char *ns;

	if (key == NULL)
		return 0;
	memcpy(key, data, size);
	key[size] = '\0';
	/* Whatever it accepts must be a relative path with no "." or ".." component. */
	if (sysctl_key_check(key, &ns, &err) == 0) {
		if (key[0] == '/' || strstr(key, "//") || strcmp(key, "..") == 0 || strncmp(key, "../", 3) == 0 ||
		    strstr(key, "/../") || strstr(key, "/./") || (strlen(key) >= 3 && strcmp(key + strlen(key) - 3, "/..") == 0))
			abort();
	}
	free(key);
	return 0;
}

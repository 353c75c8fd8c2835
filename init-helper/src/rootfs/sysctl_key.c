#include "sysctl_key.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <orch/protocol.h>

#define KEY_MAX 4096

static bool component_ok(const char *c, size_t len)
{
	if (len == 0 || (len == 1 && c[0] == '.') || (len == 2 && c[0] == '.' && c[1] == '.'))
		return false;
	for (size_t i = 0; i < len; i++)
		if (c[i] == '\0' || strchr(ORCH_SYSCTL_NAME_CHARS, c[i]) == NULL)
			return false;
	return true;
}

int sysctl_key_check(const char *key, const char **ns, struct orch_error *err)
{
	size_t len = strnlen(key, KEY_MAX + 1);

	*ns = NULL;
	if (len > KEY_MAX)
		return orch_fail(err, ENAMETOOLONG, "sysctl key of more than %d bytes", KEY_MAX);
	for (const char *c = key;;) {
		const char *slash = strchr(c, '/');
		size_t clen = slash ? (size_t)(slash - c) : strlen(c);

		if (!component_ok(c, clen))
			return orch_fail(err, 0, "sysctl %s: not a canonical sysctl path", key);
		if (!slash)
			break;
		c = slash + 1;
	}
	for (int i = 0; i < ORCH_SYSCTL_RULES; i++) {
		const struct orch_sysctl_rule *r = &orch_sysctl_rules[i];

		if (r->prefix ? strncmp(key, r->path, strlen(r->path)) == 0 : strcmp(key, r->path) == 0) {
			*ns = r->ns;
			return 0;
		}
	}
	return orch_fail(err, 0, "sysctl %s: not in a separate kernel namespace", key);
}

/*
 * A new session keyring, so the container never sees the caller's keys (unless --no-new-keyring).
 * As runc: named "_ses.<container id>" and made searchable, by its user without a user namespace
 * and by "other" inside one (where the keyring's owner may not map to the container's user).
 */
#include "process.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/keyctl.h>

#define KEY_USR_SEARCH 0x00080000U
#define KEY_OTH_SEARCH 0x00000008U

/* KEYCTL_DESCRIBE gives "type;uid;gid;perm;description"; perm is hex. */
static int keyring_perm(long key, unsigned int *perm, struct orch_error *err)
{
	char buf[512];
	long n = syscall(SYS_keyctl, KEYCTL_DESCRIBE, key, buf, sizeof(buf));
	char *field = buf, *end;

	if (n < 0)
		return orch_fail(err, errno, "describe the session keyring");
	buf[sizeof(buf) - 1] = '\0';
	for (int i = 0; i < 3 && field != NULL; i++) {
		field = strchr(field, ';');
		if (field != NULL)
			field++;
	}
	if (field == NULL)
		return orch_fail(err, 0, "describe the session keyring: unexpected \"%s\"", buf);
	errno = 0;
	*perm = (unsigned int)strtoul(field, &end, 16);
	if (errno != 0 || *end != ';')
		return orch_fail(err, 0, "describe the session keyring: bad permissions in \"%s\"", buf);
	return 0;
}

/* A user namespace, created or joined by path. */
static bool in_user_ns(const struct init_config *cfg)
{
	json_object *list = cfg_get(cfg_get(cfg->spec, "linux"), "namespaces");
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;

	for (size_t i = 0; i < n; i++) {
		const char *type = cfg_string(json_object_array_get_idx(list, i), "type");

		if (type != NULL && strcmp(type, "user") == 0)
			return true;
	}
	return false;
}

int keyring_join(const struct init_config *cfg, struct orch_error *err)
{
	unsigned int perm = 0, add;
	char name[512];
	long key;

	if (cfg->no_new_keyring)
		return 0;
	snprintf(name, sizeof(name), "_ses.%s", cfg->id);
	key = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name);
	if (key < 0) {
		/* A kernel without keyrings has nothing to isolate; anything else is a failure. */
		if (errno == ENOSYS)
			return 0;
		return orch_fail(err, errno, "join a new session keyring %s", name);
	}
	if (keyring_perm(key, &perm, err) < 0)
		return -1;
	add = in_user_ns(cfg) ? KEY_OTH_SEARCH : KEY_USR_SEARCH;
	if (syscall(SYS_keyctl, KEYCTL_SETPERM, key, perm | add) < 0)
		return orch_fail(err, errno, "set the permissions of session keyring %s", name);
	return 0;
}

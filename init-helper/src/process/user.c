#include "process.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

/* (uid_t)-1 means "unchanged" to the set*id calls, so it is not a valid id. */
#define ID_MAX ((long long)UINT32_MAX - 1)

static int id_value(json_object *user, const char *key, long long fallback, long long max,
		    long long *out, struct orch_error *err)
{
	json_object *v = cfg_get(user, key);

	if (v == NULL) {
		*out = fallback;
		return 0;
	}
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
	    json_object_get_int64(v) > max)
		return orch_fail(err, 0, "process.user.%s must be an integer in 0..%lld", key, max);
	*out = json_object_get_int64(v);
	return 0;
}

static int parse_groups(json_object *user, struct user_ids *ids, struct orch_error *err)
{
	json_object *list = cfg_get(user, "additionalGids");

	ids->ngroups = 0;
	ids->groups = NULL;
	if (list == NULL)
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "process.user.additionalGids must be an array");
	ids->ngroups = json_object_array_length(list);
	if (ids->ngroups == 0)
		return 0;
	ids->groups = calloc(ids->ngroups, sizeof(*ids->groups));
	if (ids->groups == NULL)
		return orch_fail(err, ENOMEM, "process.user.additionalGids");
	for (size_t i = 0; i < ids->ngroups; i++) {
		json_object *g = json_object_array_get_idx(list, i);

		if (!json_object_is_type(g, json_type_int) || json_object_get_int64(g) < 0 ||
		    json_object_get_int64(g) > ID_MAX) {
			free(ids->groups);
			ids->groups = NULL;
			ids->ngroups = 0;
			return orch_fail(err, 0, "process.user.additionalGids[%zu] is not a gid", i);
		}
		ids->groups[i] = (gid_t)json_object_get_int64(g);
	}
	return 0;
}

int user_parse(json_object *process, struct user_ids *ids, struct orch_error *err)
{
	json_object *user = cfg_get(process, "user");
	long long uid = 0, gid = 0, mask = 022;

	if (user != NULL && !json_object_is_type(user, json_type_object))
		return orch_fail(err, 0, "process.user must be an object");
	if (id_value(user, "uid", 0, ID_MAX, &uid, err) < 0 ||
	    id_value(user, "gid", 0, ID_MAX, &gid, err) < 0 ||
	    id_value(user, "umask", 022, ID_MAX, &mask, err) < 0)
		return -1;
	ids->uid = (uid_t)uid;
	ids->gid = (gid_t)gid;
	/* a uint32 in the spec, as in runc; umask(2) keeps the permission bits */
	ids->umask = (mode_t)mask & 0777;
	return parse_groups(user, ids, err);
}

int user_apply(const struct user_ids *ids, bool setgroups_allowed, struct orch_error *err)
{
	umask(ids->umask);
	if (ids->ngroups > 0) {
		if (!setgroups_allowed)
			return orch_fail(err, 0, "process.user.additionalGids: setgroups is denied in "
						 "this user namespace");
		if (setgroups(ids->ngroups, ids->groups) < 0)
			return orch_fail(err, errno, "setgroups process.user.additionalGids (%zu gids)",
					 ids->ngroups);
	}
	/* Without KEEPCAPS a uid change away from 0 empties the permitted set for good. */
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_KEEPCAPS, 1)");
	if (setresgid(ids->gid, ids->gid, ids->gid) < 0) {
		if (errno == EINVAL)
			return orch_fail(err, 0, "process.user.gid %u is not mapped in the user namespace",
					 (unsigned)ids->gid);
		return orch_fail(err, errno, "setresgid %u (process.user.gid)", (unsigned)ids->gid);
	}
	if (setresuid(ids->uid, ids->uid, ids->uid) < 0) {
		if (errno == EINVAL)
			return orch_fail(err, 0, "process.user.uid %u is not mapped in the user namespace",
					 (unsigned)ids->uid);
		return orch_fail(err, errno, "setresuid %u (process.user.uid)", (unsigned)ids->uid);
	}
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}

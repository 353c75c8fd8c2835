#include "process.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* (uid_t)-1 means "unchanged" to the set*id calls, so it is not a valid id. */
#define ID_MAX ((long long)UINT32_MAX - 1)

static int set_groups(json_object *user, bool setgroups_allowed, struct orch_error *err)
{
	json_object *list = cfg_get(user, "additionalGids");
	size_t n;
	gid_t *gids;

	if (list == NULL)
		return 0;
	if (!json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "process.user.additionalGids must be an array");
	n = json_object_array_length(list);
	if (n == 0)
		return 0;
	if (!setgroups_allowed)
		return orch_fail(err, 0, "process.user.additionalGids: setgroups is denied in this "
					 "user namespace");
	gids = calloc(n, sizeof(*gids));
	if (gids == NULL)
		return orch_fail(err, ENOMEM, "process.user.additionalGids");
	for (size_t i = 0; i < n; i++) {
		json_object *g = json_object_array_get_idx(list, i);

		if (!json_object_is_type(g, json_type_int) || json_object_get_int64(g) < 0 ||
		    json_object_get_int64(g) > ID_MAX) {
			free(gids);
			return orch_fail(err, 0, "process.user.additionalGids[%zu] is not a gid", i);
		}
		gids[i] = (gid_t)json_object_get_int64(g);
	}
	if (setgroups(n, gids) < 0) {
		int saved = errno;

		free(gids);
		return orch_fail(err, saved, "setgroups process.user.additionalGids (%zu gids)", n);
	}
	free(gids);
	return 0;
}

int user_apply(json_object *process, bool setgroups_allowed, bool keep_caps,
	       struct orch_error *err)
{
	json_object *user = cfg_get(process, "user");
	long long uid = 0, gid = 0, mask = 022;

	if (user != NULL && !json_object_is_type(user, json_type_object))
		return orch_fail(err, 0, "process.user must be an object");
	if (id_value(user, "uid", 0, ID_MAX, &uid, err) < 0 ||
	    id_value(user, "gid", 0, ID_MAX, &gid, err) < 0 ||
	    id_value(user, "umask", 022, 0777, &mask, err) < 0)
		return -1;
	umask((mode_t)mask);
	if (set_groups(user, setgroups_allowed, err) < 0)
		return -1;
	/* Without KEEPCAPS a uid change away from 0 empties the permitted set for good. */
	if (keep_caps && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_KEEPCAPS, 1)");
	if (setresgid((gid_t)gid, (gid_t)gid, (gid_t)gid) < 0)
		return orch_fail(err, errno, "setresgid %lld (process.user.gid)", gid);
	if (setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid) < 0)
		return orch_fail(err, errno, "setresuid %lld (process.user.uid)", uid);
	if (keep_caps && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return orch_fail(err, errno, "prctl(PR_SET_KEEPCAPS, 0)");
	return 0;
}

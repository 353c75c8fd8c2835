/*
 * The process's environment, prepared as runc does: KEY=VALUE entries only, a key given twice
 * keeps its last value (in the place of that last entry), and HOME comes from the container's
 * /etc/passwd when the config sets none (or sets it empty).
 */
#include "process.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t key_len(const char *pair)
{
	return (size_t)(strchr(pair, '=') - pair);
}

/* qsort order of &pairs[i]: by key, then by place in the list (the entries' addresses). */
static int by_key_then_place(const void *a, const void *b)
{
	char *const *x = *(char *const *const *)a, *const *y = *(char *const *const *)b;
	size_t lx = key_len(*x), ly = key_len(*y);
	int c = memcmp(*x, *y, lx < ly ? lx : ly);

	if (c != 0)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return x < y ? -1 : x > y;
}

/*
 * Marks every entry that a later entry with the same key overrides. Sorting pointers to the
 * entries groups the keys: n log n, where comparing every pair would let a long env pin the init.
 */
static int mark_overridden(char **pairs, size_t n, bool *overridden, struct orch_error *err)
{
	char ***sorted = calloc(n + 1, sizeof(*sorted));

	if (sorted == NULL)
		return orch_fail(err, ENOMEM, "process.env");
	for (size_t i = 0; i < n; i++)
		sorted[i] = &pairs[i];
	qsort(sorted, n, sizeof(*sorted), by_key_then_place);
	for (size_t i = 0; i + 1 < n; i++)
		if (key_len(*sorted[i]) == key_len(*sorted[i + 1]) &&
		    memcmp(*sorted[i], *sorted[i + 1], key_len(*sorted[i])) == 0)
			overridden[sorted[i] - pairs] = true;
	free(sorted);
	return 0;
}

static int check_pairs(json_object *list, size_t n, char **pairs, struct orch_error *err)
{
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(list, i);
		const char *pair, *eq;

		if (!json_object_is_type(item, json_type_string))
			return orch_fail(err, 0, "process.env[%zu] must be a string", i);
		pair = json_object_get_string(item);
		eq = strchr(pair, '=');
		/* As runc: KEY=VALUE with a non-empty KEY; anything else the process could misread. */
		if (eq == NULL || eq == pair)
			return orch_fail(err, 0, "process.env[%zu] \"%s\" is not KEY=VALUE", i, pair);
		if (strlen(pair) != (size_t)json_object_get_string_len(item))
			return orch_fail(err, 0, "process.env[%zu] \"%s\" contains a NUL byte", i, pair);
		pairs[i] = (char *)pair;
	}
	return 0;
}

int env_build(json_object *process, char ***envp, struct orch_error *err)
{
	json_object *list = cfg_get(process, "env");
	/* process.user was checked by user_parse before this runs */
	unsigned long uid = (unsigned long)cfg_int(cfg_get(process, "user"), "uid", 0);
	size_t n = 0, out = 0;
	bool has_home = false;
	char **pairs, **env;
	char *home;

	*envp = NULL;
	if (list != NULL && !json_object_is_type(list, json_type_array))
		return orch_fail(err, 0, "process.env must be an array");
	if (list != NULL)
		n = json_object_array_length(list);
	pairs = calloc(n + 1, sizeof(*pairs));
	env = calloc(n + 2, sizeof(*env)); /* room for HOME and the NULL */
	if (pairs == NULL || env == NULL) {
		free(pairs);
		free(env);
		return orch_fail(err, ENOMEM, "process.env");
	}
	if (check_pairs(list, n, pairs, err) < 0) {
		free(pairs);
		free(env);
		return -1;
	}
	bool *overridden = calloc(n + 1, sizeof(*overridden));
	if (overridden == NULL || mark_overridden(pairs, n, overridden, err) < 0) {
		free(overridden);
		free(pairs);
		free(env);
		return overridden == NULL ? orch_fail(err, ENOMEM, "process.env") : -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (overridden[i])
			continue;
		if (strncmp(pairs[i], "HOME=", 5) == 0) {
			if (pairs[i][5] == '\0')
				continue; /* an empty HOME is replaced below */
			has_home = true;
		}
		env[out++] = pairs[i];
	}
	free(overridden);
	free(pairs);
	if (!has_home) {
		char *dir;

		if (home_dir_lookup(uid, &dir, err) < 0) {
			free(env);
			return -1;
		}
		if (asprintf(&home, "HOME=%s", dir) < 0) {
			free(dir);
			free(env);
			return orch_fail(err, ENOMEM, "process.env HOME");
		}
		free(dir);
		env[out++] = home; /* lives until execve */
	}
	env[out] = NULL;
	*envp = env;
	return 0;
}

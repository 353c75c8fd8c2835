#include "cgroups.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>

#include "../config/json_parse.h"
#include "../error/error.h"
#include "device_filter.h"

/* stdin is a few KB of JSON; anything past this is not ours */
#define MAX_INPUT (1 << 20)

static int read_stdin(char **out, size_t *len, struct orch_error *err)
{
	size_t cap = 4096, used = 0;
	char *buf = malloc(cap);

	if (buf == NULL)
		return orch_fail(err, errno, "allocate input buffer");
	for (;;) {
		ssize_t n;

		if (used == cap) {
			char *bigger;

			if (cap >= MAX_INPUT) {
				free(buf);
				return orch_fail(err, 0, "device rules: more than %d bytes on stdin", MAX_INPUT);
			}
			bigger = realloc(buf, cap * 2);
			if (bigger == NULL) {
				free(buf);
				return orch_fail(err, errno, "allocate input buffer");
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(STDIN_FILENO, buf + used, cap - used);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return orch_fail(err, errno, "read stdin");
		}
		if (n == 0)
			break;
		used += (size_t)n;
	}
	*out = buf;
	*len = used;
	return 0;
}

static int int_field(json_object *obj, const char *key, int64_t *out, size_t index,
		     struct orch_error *err)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_int))
		return orch_fail(err, 0, "device rule %zu: %s must be an integer", index, key);
	errno = 0;
	*out = json_object_get_int64(v);
	if (errno != 0)
		return orch_fail(err, 0, "device rule %zu: %s is out of range", index, key);
	return 0;
}

static int parse_rule(json_object *obj, size_t index, struct device_rule *rule,
		      struct orch_error *err)
{
	json_object *v;
	const char *type, *access;

	if (!json_object_is_type(obj, json_type_object))
		return orch_fail(err, 0, "device rule %zu: not an object", index);
	if (!json_object_object_get_ex(obj, "type", &v) || !json_object_is_type(v, json_type_string))
		return orch_fail(err, 0, "device rule %zu: type must be a string", index);
	type = json_object_get_string(v);
	if (strcmp(type, "b") != 0 && strcmp(type, "c") != 0)
		return orch_fail(err, 0, "device rule %zu: type must be \"b\" or \"c\"", index);
	rule->type = type[0];
	if (int_field(obj, "major", &rule->major, index, err) < 0 ||
	    int_field(obj, "minor", &rule->minor, index, err) < 0)
		return -1;
	if (!json_object_object_get_ex(obj, "access", &v) || !json_object_is_type(v, json_type_string))
		return orch_fail(err, 0, "device rule %zu: access must be a string", index);
	access = json_object_get_string(v);
	rule->access = 0;
	for (const char *c = access; *c != '\0'; c++) {
		if (*c == 'r')
			rule->access |= BPF_DEVCG_ACC_READ;
		else if (*c == 'w')
			rule->access |= BPF_DEVCG_ACC_WRITE;
		else if (*c == 'm')
			rule->access |= BPF_DEVCG_ACC_MKNOD;
		else
			return orch_fail(err, 0, "device rule %zu: unknown access '%c'", index, *c);
	}
	if (!json_object_object_get_ex(obj, "allow", &v) || !json_object_is_type(v, json_type_boolean))
		return orch_fail(err, 0, "device rule %zu: allow must be a boolean", index);
	rule->allow = json_object_get_boolean(v);
	return 0;
}

/* {"defaultAllow": false, "rules": [{"type":"c","major":1,"minor":3,"access":"rwm","allow":true}]} */
static int run(const char *dir, struct orch_error *err)
{
	struct device_rule *rules = NULL;
	struct bpf_insn *insns = NULL;
	json_object *root = NULL, *v, *list;
	size_t len = 0, n, count = 0;
	char *text = NULL;
	bool default_allow;
	int rc = -1;

	if (read_stdin(&text, &len, err) < 0)
		return -1;
	if (json_parse_whole(text, len, "device rules", &root, err) < 0)
		goto out;
	if (!json_object_object_get_ex(root, "defaultAllow", &v) || !json_object_is_type(v, json_type_boolean)) {
		orch_fail(err, 0, "device rules: defaultAllow must be a boolean");
		goto out;
	}
	default_allow = json_object_get_boolean(v);
	if (!json_object_object_get_ex(root, "rules", &list) || !json_object_is_type(list, json_type_array)) {
		orch_fail(err, 0, "device rules: rules must be an array");
		goto out;
	}
	n = json_object_array_length(list);
	rules = calloc(n == 0 ? 1 : n, sizeof(*rules));
	if (rules == NULL) {
		orch_fail(err, errno, "allocate device rules");
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (parse_rule(json_object_array_get_idx(list, i), i, &rules[i], err) < 0)
			goto out;
	}
	if (device_filter_build(rules, n, default_allow, &insns, &count, err) < 0)
		goto out;
	rc = device_filter_attach(dir, insns, count, err);
out:
	free(insns);
	free(rules);
	json_object_put(root);
	free(text);
	return rc;
}

int cgroup_devices_main(int argc, char **argv)
{
	struct orch_error err = { .msg = "" };

	if (argc != 3 || argv[2][0] != '/') {
		fprintf(stderr, "usage: orch-init cgroup-devices <absolute cgroup v2 dir> < rules.json\n");
		return 2;
	}
	if (run(argv[2], &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	return 0;
}

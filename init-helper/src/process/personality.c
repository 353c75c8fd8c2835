/* linux.personality: the execution domain and personality(2) flags, kept across execve. */
#include "process.h"

#include <errno.h>
#include <string.h>
#include <sys/personality.h>

static const struct {
	const char *name;
	unsigned long value;
} flag_names[] = {
	{ "ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT }, { "ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT },
	{ "ADDR_LIMIT_3GB", ADDR_LIMIT_3GB },	      { "ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE },
	{ "FDPIC_FUNCPTRS", FDPIC_FUNCPTRS },	      { "MMAP_PAGE_ZERO", MMAP_PAGE_ZERO },
	{ "READ_IMPLIES_EXEC", READ_IMPLIES_EXEC },   { "SHORT_INODE", SHORT_INODE },
	{ "STICKY_TIMEOUTS", STICKY_TIMEOUTS },	      { "UNAME26", UNAME26 },
	{ "WHOLE_SECONDS", WHOLE_SECONDS },
};

static int parse_flags(json_object *list, unsigned long *flags, struct orch_error *err)
{
	size_t n = list && json_object_is_type(list, json_type_array) ?
			   json_object_array_length(list) : 0;

	*flags = 0;
	for (size_t i = 0; i < n; i++) {
		const char *name = json_object_get_string(json_object_array_get_idx(list, i));
		bool known = false;

		for (size_t k = 0; name && k < sizeof(flag_names) / sizeof(flag_names[0]); k++) {
			if (strcmp(flag_names[k].name, name) == 0) {
				*flags |= flag_names[k].value;
				known = true;
			}
		}
		if (!known)
			return orch_fail(err, 0, "linux.personality.flags[%zu]: unknown flag \"%s\"", i,
					 name ? name : "");
	}
	return 0;
}

int personality_apply(json_object *spec, struct orch_error *err)
{
	json_object *pers = cfg_get(cfg_get(spec, "linux"), "personality");
	const char *domain;
	unsigned long value, flags;

	if (pers == NULL)
		return 0;
	domain = cfg_string(pers, "domain");
	if (domain == NULL || strcmp(domain, "LINUX") == 0)
		value = PER_LINUX;
	else if (strcmp(domain, "LINUX32") == 0)
		value = PER_LINUX32;
	else
		return orch_fail(err, 0, "linux.personality.domain: unknown domain \"%s\"", domain);
	if (parse_flags(cfg_get(pers, "flags"), &flags, err) < 0)
		return -1;
	if (personality(value | flags) < 0)
		return orch_fail(err, errno, "linux.personality: personality(%s, 0x%lx)",
				 domain ? domain : "LINUX", flags);
	return 0;
}

/* linux.personality: the execution domain and personality(2) flags, kept across execve. */
#include "process.h"
#include "../config/flag_list.h"

#include <errno.h>
#include <string.h>
#include <sys/personality.h>

static const struct flag_name flag_names[] = {
	{ "ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT }, { "ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT },
	{ "ADDR_LIMIT_3GB", ADDR_LIMIT_3GB },	      { "ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE },
	{ "FDPIC_FUNCPTRS", FDPIC_FUNCPTRS },	      { "MMAP_PAGE_ZERO", MMAP_PAGE_ZERO },
	{ "READ_IMPLIES_EXEC", READ_IMPLIES_EXEC },   { "SHORT_INODE", SHORT_INODE },
	{ "STICKY_TIMEOUTS", STICKY_TIMEOUTS },	      { "UNAME26", UNAME26 },
	{ "WHOLE_SECONDS", WHOLE_SECONDS },
};

int personality_apply(json_object *spec, struct orch_error *err)
{
	json_object *pers = cfg_get(cfg_get(spec, "linux"), "personality");
	const char *domain;
	unsigned long value;
	uint64_t flags;

	if (pers == NULL)
		return 0;
	domain = cfg_string(pers, "domain");
	if (domain == NULL || strcmp(domain, "LINUX") == 0)
		value = PER_LINUX;
	else if (strcmp(domain, "LINUX32") == 0)
		value = PER_LINUX32;
	else
		return orch_fail(err, 0, "linux.personality.domain: unknown domain \"%s\"", domain);
	if (flag_list_parse(cfg_get(pers, "flags"), flag_names, sizeof(flag_names) / sizeof(flag_names[0]),
			    "linux.personality.flags", &flags, err) < 0)
		return -1;
	if (personality(value | (unsigned long)flags) < 0)
		return orch_fail(err, errno, "linux.personality: personality(%s, 0x%lx)",
				 domain ? domain : "LINUX", (unsigned long)flags);
	return 0;
}

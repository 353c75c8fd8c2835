#ifndef ORCH_BOOTSTRAP_H
#define ORCH_BOOTSTRAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <orch/protocol.h>

#include "../error/error.h"

/*
 * The bootstrap netlink attributes (ORCH_ATTR_*), decoded. Strings and byte attributes are
 * malloc'd and NUL-terminated (a trailing NUL in the payload, as runc sends, is dropped);
 * NULL when absent.
 */
struct bootstrap {
	uint32_t clone_flags;
	/* nsPath attributes: the path to join for each kind (orch_namespace_kinds order), or NULL */
	char *ns_paths[ORCH_NAMESPACE_KINDS];
	char *uid_map;
	char *gid_map;
	bool setgroups_present;
	bool setgroups;
	char *oom_score_adj;
	bool rootless_euid;
	char *uid_map_path;
	char *gid_map_path;
	char *time_offsets;
};

void bootstrap_free(struct bootstrap *boot);

int bootstrap_parse(const uint8_t *attrs, size_t len, struct bootstrap *boot,
		    struct orch_error *err);

/* false only when the orchestrator asked for setgroups to be denied in the user namespace. */
bool bootstrap_setgroups_allowed(const struct bootstrap *boot);

#endif

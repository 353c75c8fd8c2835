#ifndef ORCH_NAMESPACES_H
#define ORCH_NAMESPACES_H

#include <stdint.h>

#include "../error/error.h"

/*
 * Joins the namespaces in ns_paths ("kind:path,kind:path", kind being the /proc/PID/ns name
 * such as "net" or the OCI type such as "network"). Every path is opened before the first
 * setns, because joining the mount or user namespace can make the other paths unreachable;
 * then they are joined in protocol order, user first, so the other joins are permitted by the
 * capabilities held in the joined user namespace.
 */
int namespaces_join(const char *ns_paths, struct orch_error *err);

/*
 * Unshares each CLONE_NEW* flag in `flags` (CLONE_NEWUSER excluded: stage-1 handles it with the
 * id-map handshake), in protocol order. After CLONE_NEWTIME, writes time_offsets (may be NULL)
 * to /proc/self/timens_offsets: it only works before a process enters the new time namespace.
 */
int namespaces_unshare(uint32_t flags, const char *time_offsets, struct orch_error *err);

#endif

#ifndef ORCH_NAMESPACES_H
#define ORCH_NAMESPACES_H

#include <stddef.h>
#include <stdint.h>

#include <orch/protocol.h>

#include "../error/error.h"

/* The index in orch_namespace_kinds of a kind named by its /proc/PID/ns name ("net") or OCI
 * type ("network"), or -1. */
int namespace_kind_find(const char *kind, size_t len);

/*
 * Joins the namespace at ns_paths[i] (NULL: none) for each kind i. Every path is opened, and
 * checked to be a namespace of its kind, before the first setns, because joining the mount or
 * user namespace can make the other paths unreachable; then they are joined in protocol order,
 * user first, so the other joins are permitted by the capabilities held in the joined user
 * namespace.
 */
int namespaces_join(char *const ns_paths[ORCH_NAMESPACE_KINDS], struct orch_error *err);

/*
 * Unshares each CLONE_NEW* flag in `flags` (CLONE_NEWUSER excluded: stage-1 handles it with the
 * id-map handshake), in protocol order. After CLONE_NEWTIME, writes time_offsets (may be NULL)
 * to /proc/self/timens_offsets: it only works before a process enters the new time namespace.
 */
int namespaces_unshare(uint32_t flags, const char *time_offsets, struct orch_error *err);

#endif

#ifndef ORCH_SYSCTL_KEY_H
#define ORCH_SYSCTL_KEY_H

#include "../error/error.h"

/*
 * A sysctl key as the orchestrator sends it: the canonical path under /proc/sys
 * ("net/ipv4/ip_forward"; components non-empty, neither "." nor "..", of ORCH_SYSCTL_NAME_CHARS)
 * naming a file of a namespaced directory (protocol.json "sysctl"). Anything else is refused,
 * whatever the orchestrator checked. On success *ns is the OCI namespace type the key needs.
 */
int sysctl_key_check(const char *key, const char **ns, struct orch_error *err);

#endif

#ifndef ORCH_HOST_NAMESPACES_H
#define ORCH_HOST_NAMESPACES_H

#include <stdbool.h>

#include "../error/error.h"

/*
 * Which namespaces the container init shares with the host (the namespaces stage-0 runs in, the
 * orchestrator's own). The helper asks the kernel itself rather than trust what the orchestrator
 * checked: a sysctl is written only into a namespace the container does not share.
 */

/* stage-0, before any fork: remember its namespaces through the host's /proc. */
int host_namespaces_record(struct orch_error *err);

/* stage-2, first thing (no container mount exists yet): compare its own namespaces with them. */
void host_namespaces_compare(void);

/* The namespace of this OCI type ("network", "ipc" …) is the host's, or could not be told apart
 * from it. */
bool host_namespace_shared(const char *type);

#endif

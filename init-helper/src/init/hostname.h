#ifndef ORCH_HOSTNAME_H
#define ORCH_HOSTNAME_H

#include "../config/init_config.h"

/*
 * Sets spec.hostname and spec.domainname. As runc, either one needs a UTS namespace in
 * spec.linux.namespaces (new or joined): otherwise it would rename the host.
 */
int hostname_apply(const struct init_config *cfg, struct orch_error *err);

#endif

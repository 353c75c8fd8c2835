#ifndef ORCH_NET_DEVICES_H
#define ORCH_NET_DEVICES_H

#include <json-c/json.h>
#include <sys/types.h>

#include "../error/error.h"

/*
 * linux.netDevices, as runc 1.4 moves them: from the host (stage-0, once the init's network
 * namespace exists and before the init runs), each named link is set down, moved into the
 * namespace and renamed in one request, then, inside it, set up with its permanent addresses of
 * global scope added back (moving a link drops its addresses).
 */
int net_devices_move(json_object *linux_obj, pid_t init, struct orch_error *err);

#endif

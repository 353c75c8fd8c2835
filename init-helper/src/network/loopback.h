#ifndef ORCH_LOOPBACK_H
#define ORCH_LOOPBACK_H

#include "../error/error.h"

/* Brings "lo" up: a new network namespace starts with it down. */
int loopback_up(struct orch_error *err);

#endif

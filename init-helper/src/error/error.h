#ifndef ORCH_ERROR_H
#define ORCH_ERROR_H

#include <stddef.h>

/*
 * An error travels up as a message that already says what failed, on which path or field, and
 * the errno; the init sends it to the orchestrator as procError, which prints it as one line.
 */
struct orch_error {
	char msg[1024];
};

/* Formats "<what>: <strerror(errnum)>" into err (errnum 0: no errno suffix) and returns -1. */
int orch_fail(struct orch_error *err, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prefixes an existing message with more context ("mount 3 (/proc): " + old) and returns -1. */
int orch_wrap(struct orch_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif

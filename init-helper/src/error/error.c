#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int orch_fail(struct orch_error *err, int errnum, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		err->msg[0] = '\0';
	if (errnum != 0) {
		size_t used = strlen(err->msg);

		snprintf(err->msg + used, sizeof(err->msg) - used, ": %s", strerror(errnum));
	}
	return -1;
}

int orch_wrap(struct orch_error *err, const char *fmt, ...)
{
	char prefix[sizeof(err->msg)];
	size_t plen, olen;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	if (n < 0)
		prefix[0] = '\0';
	plen = strlen(prefix);
	olen = strnlen(err->msg, sizeof(err->msg) - 1);
	/* Keep the end of the old message only as far as it fits after the prefix. */
	if (plen + olen > sizeof(err->msg) - 1)
		olen = sizeof(err->msg) - 1 - plen;
	memmove(err->msg + plen, err->msg, olen);
	memcpy(err->msg, prefix, plen);
	err->msg[plen + olen] = '\0';
	return -1;
}

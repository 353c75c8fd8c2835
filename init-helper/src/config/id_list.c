#include "id_list.h"

#include <errno.h>
#include <string.h>

static const char *id(const char *p, unsigned long max_id, unsigned long *out)
{
	unsigned long v = 0;

	if (*p < '0' || *p > '9' || (p[0] == '0' && p[1] >= '0' && p[1] <= '9'))
		return NULL;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max_id)
			return NULL;
	}
	*out = v;
	return p;
}

int id_list_parse(const char *list, unsigned long max_id,
		  void (*range)(unsigned long first, unsigned long last, void *arg), void *arg)
{
	const char *p = list;

	if (strnlen(list, ID_LIST_MAX + 1) > ID_LIST_MAX) {
		errno = E2BIG;
		return -1;
	}
	for (;;) {
		unsigned long first, last;

		if ((p = id(p, max_id, &first)) == NULL)
			break;
		last = first;
		if (*p == '-' && ((p = id(p + 1, max_id, &last)) == NULL || last < first))
			break;
		range(first, last, arg);
		if (*p == '\0')
			return 0;
		if (*p++ != ',')
			break;
	}
	errno = EINVAL;
	return -1;
}

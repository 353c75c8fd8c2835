#ifndef ORCH_ID_LIST_H
#define ORCH_ID_LIST_H

/*
 * The kernel's list of CPUs or memory nodes ("0-3,7"; bitmap_parselist without strides),
 * parsed strictly as the kernel parses it: decimal ids without sign, blank or leading zero,
 * ranges never backwards, single commas. A list is at most a page (ID_LIST_MAX bytes), as the
 * kernel takes it, and ids at most max_id. Calls range() once per entry, in order; returns 0,
 * or -1 with errno E2BIG (too long) or EINVAL (anything else, or range() failing).
 */
#define ID_LIST_MAX 4095

int id_list_parse(const char *list, unsigned long max_id,
		  void (*range)(unsigned long first, unsigned long last, void *arg), void *arg);

#endif

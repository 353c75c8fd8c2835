#ifndef ORCH_RTNETLINK_H
#define ORCH_RTNETLINK_H

#include <stdbool.h>
#include <stddef.h>

#include "../error/error.h"

/*
 * The few rtnetlink requests moving a network device needs (rtnetlink(7)): link flags, name and
 * namespace; the addresses of a link; adding one. Requests wait for the kernel's acknowledgement.
 */
struct rtnl_addr {
	unsigned char family;
	unsigned char prefixlen;
	unsigned char scope;
	unsigned int flags; /* IFA_F_*, from IFA_FLAGS when the kernel sends it */
	size_t len;	    /* 4 or 16 */
	unsigned char local[16];
	unsigned char address[16];
	bool has_local, has_address;
};

/* A NETLINK_ROUTE socket in the caller's network namespace. */
int rtnl_open(struct orch_error *err);

/*
 * RTM_NEWLINK on ifindex: the IFF_* bits in `change` take their values from `flags`; netns_fd >= 0
 * moves the link to that namespace; new_name (may be NULL) renames it, in the same request.
 */
int rtnl_link_set(int fd, int ifindex, unsigned int change, unsigned int flags, int netns_fd,
		  const char *new_name, struct orch_error *err);

/* The addresses of ifindex (malloc'd array in *out, *n of them). */
int rtnl_addr_list(int fd, int ifindex, struct rtnl_addr **out, size_t *n, struct orch_error *err);

int rtnl_addr_add(int fd, int ifindex, const struct rtnl_addr *addr, struct orch_error *err);

#endif

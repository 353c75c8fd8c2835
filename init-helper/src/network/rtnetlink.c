#include "rtnetlink.h"

#include <errno.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct request {
	struct nlmsghdr nh;
	char payload[1024];
};

static unsigned int seq;

int rtnl_open(struct orch_error *err)
{
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return orch_fail(err, errno, "netlink socket");
	return fd;
}

static void request_init(struct request *r, int type, int flags, const void *header, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = (uint32_t)NLMSG_LENGTH(len);
	r->nh.nlmsg_type = (uint16_t)type;
	r->nh.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	r->nh.nlmsg_seq = ++seq;
	memcpy(NLMSG_DATA(&r->nh), header, len);
}

static int add_attr(struct request *r, int type, const void *data, size_t len, struct orch_error *err)
{
	size_t at = NLMSG_ALIGN(r->nh.nlmsg_len);
	struct rtattr *rta = (struct rtattr *)((char *)&r->nh + at);

	if (at + RTA_SPACE(len) > sizeof(*r))
		return orch_fail(err, E2BIG, "netlink request");
	rta->rta_type = (unsigned short)type;
	rta->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = (uint32_t)(at + RTA_SPACE(len));
	return 0;
}

static int send_request(int fd, const struct request *r, struct orch_error *err)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };

	if (sendto(fd, r, r->nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return orch_fail(err, errno, "netlink send");
	return 0;
}

/* Reads replies to seq until the acknowledgement, or the end of a dump (calling each on every
 * message of it). */
static int receive(int fd, unsigned int want_seq,
		   int (*each)(const struct nlmsghdr *, void *), void *arg, struct orch_error *err)
{
	static char buf[32768];

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return orch_fail(err, errno, "netlink receive");
		for (struct nlmsghdr *nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq != want_seq)
				continue;
			if (nh->nlmsg_type == NLMSG_DONE)
				return 0;
			if (nh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nh);

				if (e->error == 0)
					return 0;
				errno = -e->error;
				return -1;
			}
			if (each != NULL && each(nh, arg) < 0)
				return -1;
		}
	}
}

/* A request the kernel acknowledges: sent, then its ACK (or error) read. */
static int transact(int fd, const struct request *r, const char *what, struct orch_error *err)
{
	if (send_request(fd, r, err) < 0)
		return -1;
	if (receive(fd, r->nh.nlmsg_seq, NULL, NULL, err) < 0)
		return orch_fail(err, errno, "%s", what);
	return 0;
}

int rtnl_link_set(int fd, int ifindex, unsigned int change, unsigned int flags, int netns_fd,
		  const char *new_name, struct orch_error *err)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex, .ifi_change = change, .ifi_flags = flags };
	struct request r;

	request_init(&r, RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof(ifi));
	if (netns_fd >= 0) {
		uint32_t nsfd = (uint32_t)netns_fd;

		if (add_attr(&r, IFLA_NET_NS_FD, &nsfd, sizeof(nsfd), err) < 0)
			return -1;
	}
	if (new_name != NULL && add_attr(&r, IFLA_IFNAME, new_name, strlen(new_name) + 1, err) < 0)
		return -1;
	return transact(fd, &r, "RTM_NEWLINK", err);
}

struct addr_list {
	int ifindex;
	struct rtnl_addr *items;
	size_t n;
	struct orch_error *err;
};

static int collect_addr(const struct nlmsghdr *nh, void *arg)
{
	struct addr_list *list = arg;
	const struct ifaddrmsg *ifa = NLMSG_DATA(nh);
	int len = (int)IFA_PAYLOAD(nh);
	struct rtnl_addr a = { .family = ifa->ifa_family, .prefixlen = ifa->ifa_prefixlen,
			       .scope = ifa->ifa_scope, .flags = ifa->ifa_flags };
	struct rtnl_addr *grown;

	if (nh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != list->ifindex)
		return 0;
	a.len = ifa->ifa_family == AF_INET6 ? 16 : 4;
	for (const struct rtattr *rta = IFA_RTA(ifa); RTA_OK(rta, len); rta = RTA_NEXT(rta, len)) {
		if (rta->rta_type == IFA_FLAGS && RTA_PAYLOAD(rta) >= sizeof(uint32_t))
			memcpy(&a.flags, RTA_DATA(rta), sizeof(uint32_t));
		else if (rta->rta_type == IFA_LOCAL && RTA_PAYLOAD(rta) == a.len) {
			memcpy(a.local, RTA_DATA(rta), a.len);
			a.has_local = true;
		} else if (rta->rta_type == IFA_ADDRESS && RTA_PAYLOAD(rta) == a.len) {
			memcpy(a.address, RTA_DATA(rta), a.len);
			a.has_address = true;
		}
	}
	grown = realloc(list->items, (list->n + 1) * sizeof(*grown));
	if (grown == NULL)
		return orch_fail(list->err, ENOMEM, "address list");
	list->items = grown;
	list->items[list->n++] = a;
	return 0;
}

int rtnl_addr_list(int fd, int ifindex, struct rtnl_addr **out, size_t *n, struct orch_error *err)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_UNSPEC };
	struct addr_list list = { .ifindex = ifindex, .err = err };
	struct request r;

	*out = NULL;
	*n = 0;
	request_init(&r, RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof(ifa));
	if (send_request(fd, &r, err) < 0)
		return -1;
	if (receive(fd, r.nh.nlmsg_seq, collect_addr, &list, err) < 0) {
		free(list.items);
		return orch_fail(err, errno, "RTM_GETADDR");
	}
	*out = list.items;
	*n = list.n;
	return 0;
}

int rtnl_addr_add(int fd, int ifindex, const struct rtnl_addr *a, struct orch_error *err)
{
	struct ifaddrmsg ifa = { .ifa_family = a->family, .ifa_prefixlen = a->prefixlen,
				 .ifa_scope = a->scope, .ifa_index = (unsigned int)ifindex };
	struct request r;

	request_init(&r, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, &ifa, sizeof(ifa));
	if ((a->has_local && add_attr(&r, IFA_LOCAL, a->local, a->len, err) < 0) ||
	    (a->has_address && add_attr(&r, IFA_ADDRESS, a->address, a->len, err) < 0))
		return -1;
	return transact(fd, &r, "RTM_NEWADDR", err);
}

#include "net_devices.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../config/init_config.h"
#include "../sync/fd_io.h"
#include "rtnetlink.h"

/* Inside the container's namespace (a child that joined it): link up, addresses back. */
static int configure_inside(int netns, const char *name, const struct rtnl_addr *addrs, size_t n,
			    struct orch_error *err)
{
	int fd, ifindex;

	if (setns(netns, CLONE_NEWNET) < 0)
		return orch_fail(err, errno, "setns into the container's network namespace");
	ifindex = (int)if_nametoindex(name);
	if (ifindex == 0)
		return orch_fail(err, errno, "%s is not in the container's network namespace", name);
	if ((fd = rtnl_open(err)) < 0)
		return -1;
	if (rtnl_link_set(fd, ifindex, IFF_UP, IFF_UP, -1, NULL, err) < 0) {
		close(fd);
		return orch_wrap(err, "set %s up: ", name);
	}
	for (size_t i = 0; i < n; i++) {
		if (rtnl_addr_add(fd, ifindex, &addrs[i], err) < 0) {
			close(fd);
			return orch_wrap(err, "add an address to %s: ", name);
		}
	}
	close(fd);
	return 0;
}

/* Runs configure_inside in a child, so this process stays in the host's namespace. */
static int configure_in_child(int netns, const char *name, const struct rtnl_addr *addrs, size_t n,
			      struct orch_error *err)
{
	int report[2], status;
	struct orch_error child_err;
	pid_t pid;
	ssize_t got;

	if (pipe2(report, O_CLOEXEC) < 0)
		return orch_fail(err, errno, "pipe");
	pid = fork();
	if (pid < 0) {
		close(report[0]);
		close(report[1]);
		return orch_fail(err, errno, "fork");
	}
	if (pid == 0) {
		close(report[0]);
		if (configure_inside(netns, name, addrs, n, &child_err) < 0) {
			fd_write_all(report[1], child_err.msg, strlen(child_err.msg));
			_exit(1);
		}
		_exit(0);
	}
	close(report[1]);
	got = fd_read_full(report[0], child_err.msg, sizeof(child_err.msg) - 1);
	close(report[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got > 0) {
		child_err.msg[got] = '\0';
		return orch_fail(err, 0, "%s", child_err.msg);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return orch_fail(err, 0, "configuring %s in the container failed", name);
	return 0;
}

static int move_one(int rtnl, int netns, const char *host_name, const char *name, struct orch_error *err)
{
	struct rtnl_addr *addrs, *kept;
	size_t n, nkept = 0;
	int ifindex = (int)if_nametoindex(host_name), rc;

	if (ifindex == 0)
		return orch_fail(err, errno, "no such network device on the host");
	if (rtnl_link_set(rtnl, ifindex, IFF_UP, 0, -1, NULL, err) < 0)
		return orch_wrap(err, "set it down: ");
	if (rtnl_addr_list(rtnl, ifindex, &addrs, &n, err) < 0)
		return -1;
	/* runc's choice: only permanent addresses of global scope are the user's to carry over;
	 * dynamic and link-local ones belong to the host's network. */
	kept = addrs;
	for (size_t i = 0; i < n; i++)
		if ((addrs[i].flags & IFA_F_PERMANENT) && addrs[i].scope == RT_SCOPE_UNIVERSE)
			kept[nkept++] = addrs[i];
	/* moved and renamed in one request: the name cannot clash with a host link on the way */
	rc = rtnl_link_set(rtnl, ifindex, 0, 0, netns, strcmp(name, host_name) == 0 ? NULL : name, err);
	if (rc < 0)
		orch_wrap(err, "move it into the container's network namespace: ");
	else
		rc = configure_in_child(netns, name, kept, nkept, err);
	free(addrs);
	return rc;
}

int net_devices_move(json_object *linux_obj, pid_t init, struct orch_error *err)
{
	json_object *devices = cfg_get(linux_obj, "netDevices");
	char path[64];
	int netns, rtnl, rc = 0;

	if (devices == NULL || !json_object_is_type(devices, json_type_object) ||
	    json_object_object_length(devices) == 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)init);
	netns = open(path, O_RDONLY | O_CLOEXEC);
	if (netns < 0)
		return orch_fail(err, errno, "linux.netDevices: open %s", path);
	rtnl = rtnl_open(err);
	if (rtnl < 0) {
		close(netns);
		return -1;
	}
	json_object_object_foreach(devices, host_name, device) {
		const char *name = cfg_string(device, "name");

		if (name == NULL || name[0] == '\0')
			name = host_name;
		if (strlen(host_name) >= IFNAMSIZ || strlen(name) >= IFNAMSIZ) {
			rc = orch_fail(err, 0, "linux.netDevices[\"%s\"]: name longer than %d bytes", host_name, IFNAMSIZ - 1);
			break;
		}
		if ((rc = move_one(rtnl, netns, host_name, name, err)) < 0) {
			orch_wrap(err, "linux.netDevices[\"%s\"]: ", host_name);
			break;
		}
	}
	close(rtnl);
	close(netns);
	return rc;
}

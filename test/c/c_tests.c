/*
 * Unit tests of the init helper's parsers and path logic, run by ctest (and so by the suite):
 * what each accepts, what it refuses, and that a path below a root never resolves outside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/mount.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <orch/protocol.h>

#include "cgroups/device_filter.h"
#include "config/flag_list.h"
#include "config/id_list.h"
#include "mounts/mounts.h"
#include "nsexec/bootstrap.h"
#include "rootfs/sysctl_key.h"

static int failures, checks;

#define CHECK(cond, ...)                                                              \
	do {                                                                          \
		checks++;                                                             \
		if (!(cond)) {                                                        \
			failures++;                                                   \
			fprintf(stderr, "%s:%d: %s: ", __FILE__, __LINE__, #cond);    \
			fprintf(stderr, __VA_ARGS__);                                 \
			fputc('\n', stderr);                                          \
		}                                                                     \
	} while (0)

/* ---- CPU / node lists ---------------------------------------------------------------------- */

static void add_count(unsigned long first, unsigned long last, void *arg)
{
	*(unsigned long *)arg += last - first + 1;
}

static void id_lists(void)
{
	static const char *const good[] = { "0", "0-3,7", "1023", "0,0,0", "5-5" };
	static const char *const bad[] = { "", "-0", "0--0", "0- 7", "+7", " 0", "0 ", "0,", ",0", "0,,1", "3-1", "00", "1024", "0x1", "0-1:1/2" };
	char big[ID_LIST_MAX + 2];
	unsigned long n;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		n = 0;
		CHECK(id_list_parse(good[i], 1023, add_count, &n) == 0, "\"%s\" refused", good[i]);
	}
	n = 0;
	id_list_parse("0-3,7", 1023, add_count, &n);
	CHECK(n == 5, "0-3,7 names %lu ids", n);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		n = 0;
		CHECK(id_list_parse(bad[i], 1023, add_count, &n) < 0 && errno == EINVAL, "\"%s\" accepted", bad[i]);
	}
	memset(big, '0', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK(id_list_parse(big, 1023, add_count, &n) < 0 && errno == E2BIG, "a list over a page accepted");
}

/* ---- sysctl keys ---------------------------------------------------------------------------- */

static void sysctl_keys(void)
{
	static const struct {
		const char *key, *ns;
	} good[] = {
		{ "net/ipv4/ip_forward", "network" },	{ "net/ipv4/conf/eth0.100/rp_filter", "network" },
		{ "kernel/shmmax", "ipc" },		{ "fs/mqueue/msg_max", "ipc" },
		{ "kernel/domainname", "uts" },		{ "user/max_user_namespaces", "user" },
	};
	static const char *const bad[] = { "net/../vm/swappiness", "vm/swappiness", "net//x", "/net/x", "net/./x", "net/x/",
					   "net/a b", "kernel/core_pattern", "net", "", "net/..", "net.ipv4.ip_forward",
					   "fs/mqueue/../../vm/swappiness", "kernel/shmmax/.." };
	struct orch_error err;
	const char *ns;

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK(sysctl_key_check(good[i].key, &ns, &err) == 0, "%s refused: %s", good[i].key, err.msg);
		CHECK(ns && strcmp(ns, good[i].ns) == 0, "%s: namespace %s", good[i].key, ns ? ns : "(none)");
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(sysctl_key_check(bad[i], &ns, &err) < 0, "\"%s\" accepted", bad[i]);
}

/* ---- the bootstrap message ------------------------------------------------------------------ */

struct message {
	uint8_t bytes[512];
	size_t len;
};

static void attr(struct message *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr nla = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(m->bytes + m->len, &nla, sizeof(nla));
	memcpy(m->bytes + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static int parse(struct message *m, struct bootstrap *b, struct orch_error *err)
{
	int rc = bootstrap_parse(m->bytes, m->len, b, err);

	bootstrap_free(b);
	return rc;
}

static void bootstrap_messages(void)
{
	struct orch_error err;
	struct bootstrap b;
	uint32_t flags = 0x20000;
	struct message m = { .len = 0 };

	attr(&m, ORCH_ATTR_CLONE_FLAGS, &flags, sizeof(flags));
	attr(&m, ORCH_ATTR_NS_PATH, "net:/proc/1/ns/net", 19);
	attr(&m, ORCH_ATTR_NS_PATH, "ipc:/run/a,mnt:/proc/1/ns/mnt", 30);
	CHECK(bootstrap_parse(m.bytes, m.len, &b, &err) == 0, "refused: %s", err.msg);
	CHECK(b.clone_flags == 0x20000, "clone flags %x", b.clone_flags);
	/* a comma is part of the path, never a second join */
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++) {
		if (strcmp(orch_namespace_kinds[i].proc, "ipc") == 0)
			CHECK(b.ns_paths[i] && strcmp(b.ns_paths[i], "/run/a,mnt:/proc/1/ns/mnt") == 0, "ipc path %s", b.ns_paths[i]);
		if (strcmp(orch_namespace_kinds[i].proc, "mnt") == 0)
			CHECK(b.ns_paths[i] == NULL, "a mnt join appeared: %s", b.ns_paths[i]);
	}
	bootstrap_free(&b);

	struct message twice = { .len = 0 };
	attr(&twice, ORCH_ATTR_NS_PATH, "net:/a", 7);
	attr(&twice, ORCH_ATTR_NS_PATH, "network:/b", 11);
	CHECK(parse(&twice, &b, &err) < 0 && strstr(err.msg, "given twice"), "a kind twice: %s", err.msg);
	struct message kind = { .len = 0 };
	attr(&kind, ORCH_ATTR_NS_PATH, "bogus:/x", 9);
	CHECK(parse(&kind, &b, &err) < 0, "an unknown kind accepted");
	struct message relative = { .len = 0 };
	attr(&relative, ORCH_ATTR_NS_PATH, "net:proc/1/ns/net", 18);
	CHECK(parse(&relative, &b, &err) < 0, "a relative path accepted");
	struct message unknown = { .len = 0 };
	attr(&unknown, 1, "x", 1);
	CHECK(parse(&unknown, &b, &err) < 0, "an unknown attribute accepted");
	struct message truncated = { .len = 3 };
	CHECK(parse(&truncated, &b, &err) < 0, "a truncated header accepted");
	struct message nul = { .len = 0 };
	attr(&nul, ORCH_ATTR_NS_PATH, "net:/a\0/b", 10);
	CHECK(parse(&nul, &b, &err) < 0, "a NUL inside a string accepted");
}

/* ---- mount options and flag lists ----------------------------------------------------------- */

static json_object *strings(const char *const *items, size_t n)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(items[i]));
	return a;
}

static void mount_options(void)
{
	static const char *const bind[] = { "rbind", "ro", "nosuid" };
	static const char *const data[] = { "size=1m", "rw", "mode=755" };
	static const char *const rec[] = { "rro", "idmap" };
	struct mount_opts o;
	struct orch_error err;
	json_object *a;

	a = strings(bind, 3);
	CHECK(mount_options_parse(a, &o, &err) == 0, "%s", err.msg);
	CHECK((o.flags & (MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID)) == (MS_BIND | MS_REC | MS_RDONLY | MS_NOSUID), "flags %lx", o.flags);
	mount_options_free(&o);
	json_object_put(a);
	a = strings(data, 3);
	CHECK(mount_options_parse(a, &o, &err) == 0, "%s", err.msg);
	CHECK(o.data && strcmp(o.data, "size=1m,mode=755") == 0, "data %s", o.data ? o.data : "(none)");
	CHECK(o.cleared & MS_RDONLY, "rw does not clear ro");
	mount_options_free(&o);
	json_object_put(a);
	a = strings(rec, 2);
	CHECK(mount_options_parse(a, &o, &err) == 0, "%s", err.msg);
	CHECK((o.rec_set & MOUNT_ATTR_RDONLY) && o.idmap, "rro/idmap not taken");
	mount_options_free(&o);
	json_object_put(a);
}

static void flag_lists(void)
{
	static const struct flag_name names[] = { { "A", 1 }, { "B", 4 } };
	static const char *const good[] = { "A", "B" }, *const bad[] = { "A", "C" };
	struct orch_error err;
	uint64_t flags = 0;
	json_object *a = strings(good, 2);

	CHECK(flag_list_parse(a, names, 2, "x.flags", &flags, &err) == 0 && flags == 5, "flags %llu", (unsigned long long)flags);
	json_object_put(a);
	a = strings(bad, 2);
	CHECK(flag_list_parse(a, names, 2, "x.flags", &flags, &err) < 0 && strstr(err.msg, "x.flags[1]"), "%s", err.msg);
	json_object_put(a);
}

/* ---- paths inside a root -------------------------------------------------------------------- */

static void clean_paths(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = { { "a/./b/../c//", "/a/c" }, { "/../../x", "/x" }, { "", "/" }, { "/a/..", "/" }, { "..a/b", "/..a/b" } };
	char out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(path_clean_abs(cases[i].in, out, sizeof(out)) == 0 && strcmp(out, cases[i].out) == 0, "\"%s\" -> \"%s\"",
		      cases[i].in, out);
	}
	CHECK(path_in_root("/a", "/a/b") && path_in_root("/a", "/a") && !path_in_root("/a", "/ab") && path_in_root("/", "/x"),
	      "path_in_root");
}

/* The file a path inside root resolves to is root's own, whatever symlinks and ".." say. */
static void resolve_in_root(void)
{
	char root[] = "/tmp/orch-c-tests-XXXXXX";
	char path[256];
	struct stat want, got;
	int root_fd, fd;

	if (mkdtemp(root) == NULL) {
		CHECK(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	snprintf(path, sizeof(path), "%s/etc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/passwd", root);
	close(open(path, O_CREAT | O_WRONLY, 0644));
	stat(path, &want);
	snprintf(path, sizeof(path), "%s/abs", root);
	symlink("/etc", path);
	snprintf(path, sizeof(path), "%s/up", root);
	symlink("../../../../..", path);
	root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	static const char *const ways[] = { "abs/passwd", "up/etc/passwd", "../../etc/passwd", "/etc/../../etc/passwd", "up/abs/passwd" };
	for (size_t i = 0; i < sizeof(ways) / sizeof(ways[0]); i++) {
		for (int walk = 0; walk < 2; walk++) {
			fd = walk ? walk_in_root(root_fd, ways[i], O_PATH | O_CLOEXEC) : open_in_root(root_fd, ways[i], O_PATH | O_CLOEXEC);
			CHECK(fd >= 0 && fstat(fd, &got) == 0 && got.st_ino == want.st_ino && got.st_dev == want.st_dev,
			      "%s %s left the root", walk ? "walk_in_root" : "open_in_root", ways[i]);
			if (fd >= 0)
				close(fd);
		}
	}
	close(root_fd);
	snprintf(path, sizeof(path), "rm -rf '%s'", root);
	if (system(path) != 0)
		fprintf(stderr, "could not remove %s\n", root);
}

/* ---- the v2 device filter ------------------------------------------------------------------- */

static void device_filter(void)
{
	struct device_rule rules[] = {
		{ .type = 'c', .major = 1, .minor = 3, .access = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE, .allow = true },
		{ .type = 'b', .major = -1, .minor = -1, .access = BPF_DEVCG_ACC_MKNOD, .allow = false },
	};
	struct bpf_insn *insns = NULL;
	struct orch_error err;
	size_t n = 0;

	CHECK(device_filter_build(rules, 2, false, &insns, &n, &err) == 0, "%s", err.msg);
	CHECK(n > 4 && insns[n - 1].code == (BPF_JMP | BPF_EXIT), "the program does not end in exit (%zu insns)", n);
	free(insns);
}

int main(void)
{
	id_lists();
	sysctl_keys();
	bootstrap_messages();
	mount_options();
	flag_lists();
	clean_paths();
	resolve_in_root();
	device_filter();
	printf("%d checks, %d failed\n", checks, failures);
	return failures ? 1 : 0;
}

#include "bootstrap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/netlink.h>

#include <orch/protocol.h>

#include "namespaces.h"

/* CLONE_NEW* flags the helper knows how to create (protocol.json "namespaces"). */
static uint32_t known_clone_flags(void)
{
	uint32_t flags = 0;

	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		flags |= (uint32_t)orch_namespace_kinds[i].flag;
	return flags;
}

static int attr_string(const uint8_t *data, size_t len, int id, char **out,
		       struct orch_error *err)
{
	char *s;

	if (*out != NULL)
		return orch_fail(err, 0, "bootstrap attribute %d given twice", id);
	if (len > 0 && data[len - 1] == '\0')
		len--;
	if (memchr(data, '\0', len) != NULL)
		return orch_fail(err, 0, "bootstrap attribute %d contains a NUL byte", id);
	s = malloc(len + 1);
	if (s == NULL)
		return orch_fail(err, ENOMEM, "bootstrap attribute %d", id);
	memcpy(s, data, len);
	s[len] = '\0';
	*out = s;
	return 0;
}

/* One "kind:path" join; the path is everything after the first colon (a kind has none). */
static int attr_ns_path(const uint8_t *data, size_t len, struct bootstrap *b, struct orch_error *err)
{
	char *entry = NULL, *colon;
	int idx;

	if (attr_string(data, len, ORCH_ATTR_NS_PATH, &entry, err) < 0)
		return -1;
	colon = strchr(entry, ':');
	idx = colon ? namespace_kind_find(entry, (size_t)(colon - entry)) : -1;
	if (idx < 0 || colon[1] != '/') {
		orch_fail(err, 0, "bootstrap nsPath \"%s\" is not kind:/absolute/path", entry);
		free(entry);
		return -1;
	}
	if (b->ns_paths[idx] != NULL) {
		orch_fail(err, 0, "bootstrap nsPath: the %s namespace is given twice", orch_namespace_kinds[idx].proc);
		free(entry);
		return -1;
	}
	memmove(entry, colon + 1, strlen(colon + 1) + 1);
	b->ns_paths[idx] = entry;
	return 0;
}

/* runc encodes bools as one byte; a u32 is accepted as well. */
static int attr_bool(const uint8_t *data, size_t len, int id, bool *out, struct orch_error *err)
{
	uint32_t v32;

	if (len == 1) {
		*out = data[0] != 0;
		return 0;
	}
	if (len == sizeof(v32)) {
		memcpy(&v32, data, sizeof(v32));
		*out = v32 != 0;
		return 0;
	}
	return orch_fail(err, 0, "bootstrap attribute %d: bool of %zu bytes", id, len);
}

static int parse_one(int type, const uint8_t *data, size_t len, struct bootstrap *b,
		     bool *seen_flags, bool *seen_rootless, struct orch_error *err)
{
	switch (type) {
	case ORCH_ATTR_CLONE_FLAGS:
		if (*seen_flags)
			return orch_fail(err, 0, "bootstrap attribute %d given twice", type);
		if (len != sizeof(b->clone_flags))
			return orch_fail(err, 0, "bootstrap cloneFlags: %zu bytes, want 4", len);
		memcpy(&b->clone_flags, data, sizeof(b->clone_flags));
		if (b->clone_flags & ~known_clone_flags())
			return orch_fail(err, 0, "bootstrap cloneFlags: unknown flags 0x%x",
					 b->clone_flags & ~known_clone_flags());
		*seen_flags = true;
		return 0;
	case ORCH_ATTR_NS_PATH:
		return attr_ns_path(data, len, b, err);
	case ORCH_ATTR_UID_MAP:
		return attr_string(data, len, type, &b->uid_map, err);
	case ORCH_ATTR_GID_MAP:
		return attr_string(data, len, type, &b->gid_map, err);
	case ORCH_ATTR_SETGROUPS:
		if (b->setgroups_present)
			return orch_fail(err, 0, "bootstrap attribute %d given twice", type);
		b->setgroups_present = true;
		return attr_bool(data, len, type, &b->setgroups, err);
	case ORCH_ATTR_OOM_SCORE_ADJ:
		return attr_string(data, len, type, &b->oom_score_adj, err);
	case ORCH_ATTR_ROOTLESS_EUID:
		if (*seen_rootless)
			return orch_fail(err, 0, "bootstrap attribute %d given twice", type);
		*seen_rootless = true;
		return attr_bool(data, len, type, &b->rootless_euid, err);
	case ORCH_ATTR_UID_MAP_PATH:
		return attr_string(data, len, type, &b->uid_map_path, err);
	case ORCH_ATTR_GID_MAP_PATH:
		return attr_string(data, len, type, &b->gid_map_path, err);
	case ORCH_ATTR_TIME_OFFSETS:
		return attr_string(data, len, type, &b->time_offsets, err);
	default:
		/* As runc: an attribute we do not know means the two sides disagree on the protocol. */
		return orch_fail(err, 0, "unknown bootstrap attribute %d", type);
	}
}

int bootstrap_parse(const uint8_t *attrs, size_t len, struct bootstrap *b, struct orch_error *err)
{
	bool seen_flags = false, seen_rootless = false;
	size_t off = 0;

	memset(b, 0, sizeof(*b));
	while (off < len) {
		struct nlattr nla;
		size_t alen, step;

		if (len - off < NLA_HDRLEN)
			return orch_fail(err, 0, "bootstrap: truncated attribute header at offset %zu",
					 off);
		memcpy(&nla, attrs + off, sizeof(nla));
		alen = nla.nla_len;
		if (alen < NLA_HDRLEN || alen > len - off)
			return orch_fail(err, 0, "bootstrap: attribute at offset %zu has bad length %zu",
					 off, alen);
		/* Not masked with NLA_TYPE_MASK: the ids (27281..) use the top bits, as runc's do. */
		if (parse_one(nla.nla_type, attrs + off + NLA_HDRLEN,
			      alen - NLA_HDRLEN, b, &seen_flags, &seen_rootless, err) < 0)
			return -1;
		/* The last attribute's padding may be missing; anything else must be aligned. */
		step = NLA_ALIGN(alen);
		off = step > len - off ? len : off + step;
	}
	return 0;
}

bool bootstrap_setgroups_allowed(const struct bootstrap *b)
{
	return !b->setgroups_present || b->setgroups;
}

void bootstrap_free(struct bootstrap *b)
{
	for (int i = 0; i < ORCH_NAMESPACE_KINDS; i++)
		free(b->ns_paths[i]);
	free(b->uid_map);
	free(b->gid_map);
	free(b->oom_score_adj);
	free(b->uid_map_path);
	free(b->gid_map_path);
	free(b->time_offsets);
	memset(b, 0, sizeof(*b));
}

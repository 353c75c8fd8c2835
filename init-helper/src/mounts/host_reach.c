#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mounts.h"

/* Where `inside` maps to on the host, and whether `outside` is mapped at all, in an id map. */
static bool map_lookup(const char *map, unsigned long inside, unsigned long *outside)
{
	for (const char *line = map; line && *line;) {
		unsigned long in, out, count;

		if (sscanf(line, "%lu %lu %lu", &in, &out, &count) == 3 && inside >= in && inside - in < count) {
			*outside = out + (inside - in);
			return true;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

static bool map_covers(const char *map, unsigned long outside)
{
	for (const char *line = map; line && *line;) {
		unsigned long in, out, count;

		if (sscanf(line, "%lu %lu %lu", &in, &out, &count) == 3 && outside >= out && outside - out < count)
			return true;
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
	return false;
}

/* Search permission on dir for the namespace's root, as the kernel decides it. */
static bool can_search(const char *dir, unsigned long uid, unsigned long gid, const char *uid_map,
		       const char *gid_map)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return true; /* not the question asked here: the mount itself reports it */
	/* CAP_DAC_OVERRIDE in a user namespace counts for inodes whose owner and group it maps */
	if (map_covers(uid_map, st.st_uid) && map_covers(gid_map, st.st_gid))
		return true;
	if (st.st_uid == uid)
		return st.st_mode & S_IXUSR;
	if (st.st_gid == gid)
		return st.st_mode & S_IXGRP;
	return st.st_mode & S_IXOTH;
}

bool userns_root_can_reach(const char *path, const char *uid_map, const char *gid_map)
{
	char prefix[PATH_MAX];
	unsigned long uid, gid;
	size_t len = strlen(path);

	if (!map_lookup(uid_map, 0, &uid) || !map_lookup(gid_map, 0, &gid))
		return false; /* no root inside: nothing of the host is reachable as root */
	if (len >= sizeof(prefix) || path[0] != '/')
		return true;
	if (!can_search("/", uid, gid, uid_map, gid_map))
		return false;
	/* every directory above the source: "/a" and "/a/b" for /a/b/c */
	for (size_t i = 1; i < len; i++) {
		if (path[i] != '/')
			continue;
		if (path[i + 1] == '\0')
			break; /* a trailing slash: the source itself */
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		if (!can_search(prefix, uid, gid, uid_map, gid_map))
			return false;
	}
	return true;
}

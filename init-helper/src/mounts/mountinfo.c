#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"

/* mountinfo escapes space, tab, newline and backslash as \ooo (octal); undo it in place. */
static void unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)(((s[1] - '0') << 6) | ((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

/* "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue" */
static int parse_line(char *line, struct mountinfo_entry *e)
{
	char *fields[6];
	char *save = NULL;
	int n = 0;
	char *tok;

	for (tok = strtok_r(line, " ", &save); tok && n < 6; tok = strtok_r(NULL, " ", &save))
		fields[n++] = tok;
	if (n < 6)
		return -1;
	/* Optional fields run up to the "-" separator. */
	while (tok && strcmp(tok, "-") != 0)
		tok = strtok_r(NULL, " ", &save);
	if (!tok)
		return -1;
	char *fstype = strtok_r(NULL, " ", &save);
	char *source = strtok_r(NULL, " ", &save);
	char *super = strtok_r(NULL, " ", &save);
	if (!fstype || !source || !super)
		return -1;
	unescape(fields[3]);
	unescape(fields[4]);
	unescape(source);
	e->root = fields[3];
	e->mountpoint = fields[4];
	e->mount_opts = fields[5];
	e->fstype = fstype;
	e->source = source;
	e->super_opts = super;
	return 0;
}

int mountinfo_foreach(int (*fn)(const struct mountinfo_entry *e, void *arg, struct orch_error *err),
		      void *arg, struct orch_error *err)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	if (!f)
		return orch_fail(err, errno, "open /proc/self/mountinfo");
	while ((len = getline(&line, &cap, f)) > 0) {
		struct mountinfo_entry e;
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (parse_line(line, &e) < 0) {
			ret = orch_fail(err, 0, "/proc/self/mountinfo: cannot parse a line");
			break;
		}
		ret = fn(&e, arg, err);
		if (ret)
			break;
	}
	if (ret == 0 && ferror(f))
		ret = orch_fail(err, errno, "read /proc/self/mountinfo");
	free(line);
	fclose(f);
	return ret;
}

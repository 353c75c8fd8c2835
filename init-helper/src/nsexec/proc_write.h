#ifndef ORCH_PROC_WRITE_H
#define ORCH_PROC_WRITE_H

#include "../error/error.h"

/*
 * Writes content to a /proc file in a single write(2): uid_map, gid_map, timens_offsets and
 * oom_score_adj take their value in one write, and a short write is an error, not a retry.
 */
int proc_write(const char *path, const char *content, struct orch_error *err);

#endif

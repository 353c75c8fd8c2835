#ifndef ORCH_SYNC_H
#define ORCH_SYNC_H

#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

#include "../error/error.h"

/*
 * The sync socket between the orchestrator and the helper (shared/init-config.md): first one
 * netlink bootstrap message, then JSON lines {"type": ...}. Reads never consume a byte past the
 * message they return, so a process that forks after reading leaves nothing buffered that a
 * child would also hold.
 */

/* Upper bound for one JSON line or bootstrap message: an OCI config plus slack. */
#define ORCH_SYNC_MAX_MESSAGE (16u * 1024 * 1024)

/* Reads the bootstrap netlink message; *attrs (malloc'd) is its payload, the nlattr list. */
int sync_read_bootstrap(int fd, uint8_t **attrs, size_t *len, struct orch_error *err);

/* Reads one line; *line (malloc'd, NUL-terminated) excludes the "\n". EOF is an error. */
int sync_read_line(int fd, char **line, struct orch_error *err);

/* Reads one line and parses it as a JSON object with a string "type"; *msg is owned by caller. */
int sync_read_message(int fd, json_object **msg, struct orch_error *err);

/* Writes msg as one JSON line. */
int sync_write(int fd, json_object *msg, struct orch_error *err);

/* Writes {"type": type}. */
int sync_send_type(int fd, const char *type, struct orch_error *err);

/* Best effort {"type":"procError","message":...}; falls back to stderr when the write fails. */
void sync_send_error(int fd, const char *message);

/*
 * Reads the next message and requires it to be of `type`. procError from the orchestrator, any
 * other type and end-of-file are errors. *msg (may be NULL) receives the message.
 */
int sync_wait_for(int fd, const char *type, json_object **msg, struct orch_error *err);

#endif

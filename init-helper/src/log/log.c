#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-c/json.h>
#include <orch/protocol.h>

static int log_fd = -1;
static enum orch_log_level max_level = ORCH_LOG_WARNING;

static const char *const names[] = { "error", "warning", "info", "debug" };

void log_init(void)
{
	const char *fd_text = getenv(ORCH_ENV_LOG_FD), *level = getenv(ORCH_ENV_LOG_LEVEL);

	if (level != NULL) {
		for (int i = ORCH_LOG_ERROR; i <= ORCH_LOG_DEBUG; i++)
			if (strcmp(level, names[i]) == 0)
				max_level = (enum orch_log_level)i;
		unsetenv(ORCH_ENV_LOG_LEVEL);
	}
	if (fd_text != NULL) {
		char *end;
		long fd;

		errno = 0;
		fd = strtol(fd_text, &end, 10);
		/* 0-2 are the container's stdio, never the log; a bad value leaves stderr. */
		if (errno == 0 && *end == '\0' && fd >= 3 && fd <= INT_MAX &&
		    fcntl((int)fd, F_SETFD, FD_CLOEXEC) == 0)
			log_fd = (int)fd;
		unsetenv(ORCH_ENV_LOG_FD);
	}
}

/* One line in one send; MSG_NOSIGNAL: a reader that went away must not kill the init. */
static int send_line(const char *line)
{
	size_t len = strlen(line), done = 0;

	while (done < len) {
		ssize_t n = send(log_fd, line + done, len - done, MSG_NOSIGNAL);

		if (n < 0 && errno == ENOTSOCK)
			n = write(log_fd, line + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

void orch_log(enum orch_log_level level, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	if (level > max_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (log_fd >= 0) {
		json_object *obj = json_object_new_object();
		int sent = -1;

		if (obj != NULL && json_object_object_add(obj, "level", json_object_new_string(names[level])) == 0 &&
		    json_object_object_add(obj, "msg", json_object_new_string(msg)) == 0) {
			const char *text = json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
			char *line = text ? malloc(strlen(text) + 2) : NULL;

			if (line != NULL) {
				sprintf(line, "%s\n", text);
				sent = send_line(line);
				free(line);
			}
		}
		json_object_put(obj);
		if (sent == 0)
			return;
		/* the orchestrator is gone: say the rest where it can still be seen */
		log_close();
	}
	if (level <= ORCH_LOG_WARNING)
		fprintf(stderr, "orch-init: %s%s\n", level == ORCH_LOG_WARNING ? "warning: " : "", msg);
}

void log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}

#ifndef ORCH_LOG_H
#define ORCH_LOG_H

/*
 * The helper's log channel: JSON lines {"level": …, "msg": …} on the socket the orchestrator
 * hands over in $_ORCH_LOG_FD, which it writes to its own log (stderr or --log, text or json).
 * Nothing the helper says reaches the container's stdio while the channel is open; once the
 * orchestrator has gone (a detached container after create), warnings and errors fall back to
 * stderr, the only place left.
 */
enum orch_log_level { ORCH_LOG_ERROR, ORCH_LOG_WARNING, ORCH_LOG_INFO, ORCH_LOG_DEBUG };

/* Takes $_ORCH_LOG_FD and $_ORCH_LOG_LEVEL (unset afterwards; the fd close-on-exec). */
void log_init(void);

void orch_log(enum orch_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The init is done talking to the orchestrator: the channel closes before it waits to start. */
void log_close(void);

#endif

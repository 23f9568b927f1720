#include "shell/log.h"
#include "core/logline.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

static const char *level_names[] = { "error", "warn", "info", "debug" };
static const int syslog_prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };

static enum log_level cur_level = LOG_LVL_INFO;
static bool to_syslog;
static const char *log_ident = "maracd";

void
log_init(const char *ident, bool use_syslog, enum log_level level)
{
	if (to_syslog)
		closelog();
	log_ident = ident;
	to_syslog = use_syslog;
	cur_level = level;
	if (to_syslog)
		openlog(ident, LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_set_level(enum log_level level)
{
	cur_level = level;
}

enum log_level
log_get_level(void)
{
	return cur_level;
}

const char *
log_level_name(enum log_level level)
{
	return level_names[level];
}

bool
log_level_parse(const char *s, enum log_level *out)
{
	for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
		if (strcasecmp(s, level_names[i]) == 0) {
			*out = (enum log_level)i;
			return true;
		}
	}
	return false;
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	char raw[1024], line[1024], stamp[32];
	struct timespec ts;
	struct tm tm;
	va_list ap;

	if (level > cur_level)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	/* Whatever a client sent and we quote cannot start a line of its own. */
	logline_escape(raw, line, sizeof(line));
	if (to_syslog) {
		syslog(syslog_prio[level], "%s", line);
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ldZ %s[%s] %s\n", stamp, ts.tv_nsec / 1000000L,
	    log_ident, level_names[level], line);
	fflush(stderr);
}

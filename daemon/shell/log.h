/*
 * Logging with levels, to stderr or syslog.
 *
 * maracd holds special-category personal data: log ids (referral, token,
 * request), never names, addresses, dates of birth or free text.
 */
#ifndef MARACD_LOG_H
#define MARACD_LOG_H

#include <stdbool.h>

enum log_level {
	LOG_LVL_ERROR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG,
};

void	log_init(const char *ident, bool use_syslog, enum log_level level);
void	log_set_level(enum log_level level);
enum log_level log_get_level(void);
bool	log_level_parse(const char *s, enum log_level *out);
const char *log_level_name(enum log_level level);

void	log_msg(enum log_level level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#define log_error(...)	log_msg(LOG_LVL_ERROR, __VA_ARGS__)
#define log_warn(...)	log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_info(...)	log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define log_debug(...)	log_msg(LOG_LVL_DEBUG, __VA_ARGS__)

#endif

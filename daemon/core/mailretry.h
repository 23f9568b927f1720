/*
 * What to do with an outbox row after a delivery attempt: done, try again
 * later (and when), or give up.  SMTP cannot say "delivered" any more
 * reliably than a 250 after the final dot, so only that counts as sent.
 */
#ifndef MARACD_CORE_MAILRETRY_H
#define MARACD_CORE_MAILRETRY_H

#include <stdbool.h>

enum mail_outcome {
	MAIL_SENT,
	MAIL_RETRY,
	MAIL_FAILED,
};

/*
 * A refusal that sending again will not change: a 5xx reply to the
 * envelope or the message.  Authentication refusals (530, 534, 535, 538)
 * are our own configuration, not the message's fault, so they are retried
 * like an outage until someone fixes the credentials.
 */
bool	mailretry_permanent(int smtp_code, bool auth_refused);

/* attempts counts this one; max_attempts is the most there may be. */
enum mail_outcome mailretry_outcome(bool delivered, bool permanent,
	    int attempts, int max_attempts);

/*
 * Milliseconds before the next attempt after attempts failures:
 * base_s * 2^(attempts-1), at most max_s, then spread by +-20% with
 * u in [0, 1) so that processes and rows do not retry in step; never more
 * than max_s and never less than a second.
 */
long	mailretry_delay_ms(int attempts, int base_s, int max_s, double u);

/* "smtp 550 curl 55": the only failure detail that is kept or logged. */
void	mailretry_error(char *out, unsigned outlen, int smtp_code, int curl_code);

#endif

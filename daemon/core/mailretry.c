/*
 * Retry policy for the outbox; see mailretry.h.
 */
#include "core/mailretry.h"

#include <stdio.h>

bool
mailretry_permanent(int smtp_code, bool auth_refused)
{
	if (auth_refused)
		return false;
	switch (smtp_code) {
	case 530: case 534: case 535: case 538:
		return false;
	}
	return smtp_code >= 500 && smtp_code <= 599;
}

enum mail_outcome
mailretry_outcome(bool delivered, bool permanent, int attempts,
    int max_attempts)
{
	if (delivered)
		return MAIL_SENT;
	if (permanent || attempts >= max_attempts)
		return MAIL_FAILED;
	return MAIL_RETRY;
}

long
mailretry_delay_ms(int attempts, int base_s, int max_s, double u)
{
	long long max_ms = (long long)max_s * 1000, d = (long long)base_s * 1000;

	for (int i = 1; i < attempts && d < max_ms; i++)
		d *= 2;
	if (d > max_ms)
		d = max_ms;
	if (u < 0 || u >= 1)
		u = 0.5;
	d = (long long)((double)d * (0.8 + 0.4 * u));
	if (d > max_ms)
		d = max_ms;
	if (d < 1000)
		d = 1000;
	return (long)d;
}

void
mailretry_error(char *out, unsigned outlen, int smtp_code, int curl_code)
{
	snprintf(out, outlen, "smtp %d curl %d", smtp_code, curl_code);
}

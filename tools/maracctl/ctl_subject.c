/*
 * maracctl subject-access --name NAME --dob YYYY-MM-DD [--out PREFIX]:
 * everything maracd holds on one person (UK GDPR Art. 15), as victim,
 * perpetrator or child, for the data protection officer: PREFIX.json
 * (default subject-access), a readable PREFIX.html and a printable
 * PREFIX.pdf, all mode 600.
 * The person is matched by the identity key of name and date of birth,
 * as the repeat rule and DRIVE match people (core/identity.c); the
 * gathering is sql/013_retention.sql subject_access(), which audits every
 * referral it returns.  The name is never printed or logged: standard
 * error says how many referrals were found and where the files are.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/identity.h"
#include "core/render/subject_html.h"
#include "core/render/subject_pdf.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
write_all(const char *prefix, const char *json)
{
	cJSON *doc = cJSON_Parse(json);
	struct buf html, pdf;
	char *pretty = NULL, path[1024];
	int rc, n;

	buf_init(&html);
	buf_init(&pdf);
	if (doc == NULL || (pretty = cJSON_Print(doc)) == NULL)
		rc = ctl_fail("the database's answer is not JSON");
	else if (subject_html(doc, "Subject access", &html) != 0 ||
	    subject_pdf(doc, "Subject access", &pdf) != 0)
		rc = ctl_fail("cannot render the HTML or PDF copy");
	else {
		const struct { const char *ext, *data; size_t len; } f[] = {
			{ "json", pretty, strlen(pretty) },
			{ "html", buf_str(&html), strlen(buf_str(&html)) },
			{ "pdf", pdf.data, pdf.len },
		};

		rc = CTL_OK;
		for (size_t i = 0; i < 3 && rc == CTL_OK; i++) {
			snprintf(path, sizeof(path), "%s.%s", prefix, f[i].ext);
			rc = ctl_write_file(path, f[i].data, f[i].len, 0600);
		}
	}
	if (rc == CTL_OK) {
		n = cJSON_GetArraySize(cJSON_GetObjectItem(doc, "referrals"));
		fprintf(stderr, "maracctl: %d referral%s; wrote %s.json, %s.html "
		    "and %s.pdf\n", n, n == 1 ? "" : "s", prefix, prefix, prefix);
	}
	buf_free(&html);
	buf_free(&pdf);
	cJSON_free(pretty);
	cJSON_Delete(doc);
	return rc;
}

int
ctl_subject(struct ctl *ctl)
{
	const char *prefix = ctl_arg(ctl, "out");
	char key[IDENTITY_KEY_MAX], now[CLOCK_RFC3339_MAX];
	const char *p[2] = { key, now };
	PGresult *res;
	date_t d;
	int rc;

	if (!date_parse(ctl_arg(ctl, "dob"), &d))
		return ctl_fail("--dob must be a date written YYYY-MM-DD");
	if (!identity_key(ctl_arg(ctl, "name"), d, key, sizeof(key)))
		return ctl_fail("--name has no letter or digit to match on");
	clock_rfc3339(now, sizeof(now));
	if (!ctl_do(ctl, "BEGIN", 0, NULL) || (res = ctl_exec(ctl,
	    "SELECT subject_access($1, $2::timestamptz)::text", 2, p)) == NULL)
		return CTL_FAIL;
	/* The files first: the audit says it was done only once it was. */
	rc = write_all(prefix != NULL ? prefix : "subject-access",
	    PQgetvalue(res, 0, 0));
	PQclear(res);
	return rc == CTL_OK && !ctl_do(ctl, "COMMIT", 0, NULL) ? CTL_FAIL : rc;
}

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

static const char usage_line[] =
    "subject-access --name NAME --dob YYYY-MM-DD [--out PREFIX]";

static int
write_file(const char *prefix, const char *ext, const char *data, size_t len)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s.%s", prefix, ext);
	return ctl_write_file(path, data, len, 0600);
}

static int
write_all(const char *prefix, const char *json)
{
	cJSON *doc = cJSON_Parse(json);
	struct buf html, pdf;
	char *pretty;
	int rc, n;

	if (doc == NULL || (pretty = cJSON_Print(doc)) == NULL) {
		cJSON_Delete(doc);
		return ctl_fail("the database's answer is not JSON");
	}
	buf_init(&html);
	buf_init(&pdf);
	rc = subject_html(doc, "Subject access", &html) != 0 ||
	    subject_pdf(doc, "Subject access", &pdf) != 0 ?
	    ctl_fail("cannot render the HTML or PDF copy") : CTL_OK;
	if (rc == CTL_OK)
		rc = write_file(prefix, "json", pretty, strlen(pretty));
	if (rc == CTL_OK)
		rc = write_file(prefix, "html", buf_str(&html), strlen(buf_str(&html)));
	if (rc == CTL_OK)
		rc = write_file(prefix, "pdf", pdf.data, pdf.len);
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
ctl_subject(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--name", "--dob", "--out", NULL };
	const char *name = ctl_opt(argc, argv, "--name");
	const char *dob = ctl_opt(argc, argv, "--dob");
	const char *prefix = ctl_opt(argc, argv, "--out");
	char key[IDENTITY_KEY_MAX], now[CLOCK_RFC3339_MAX];
	const char *p[2] = { key, now };
	PGresult *res;
	date_t d;
	int rc;

	if (!ctl_opts_known(argc, argv, known) || name == NULL || dob == NULL)
		return ctl_usage(usage_line);
	if (!date_parse(dob, &d))
		return ctl_fail("--dob must be a date written YYYY-MM-DD");
	if (!identity_key(name, d, key, sizeof(key)))
		return ctl_fail("--name has no letter or digit to match on");
	if (prefix == NULL)
		prefix = "subject-access";
	clock_rfc3339(now, sizeof(now));
	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	res = ctl_exec(ctl, "SELECT set_config('maracd.system', 'maracctl subject-access', "
	    "false)", 0, NULL);
	PQclear(res);
	if (res == NULL || (res = ctl_exec(ctl, "BEGIN", 0, NULL)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	if ((res = ctl_exec(ctl, "SELECT subject_access($1, $2::timestamptz)::text",
	    2, p)) == NULL)
		return CTL_FAIL;
	/* The files first: the audit says it was done only once it was. */
	rc = write_all(prefix, PQgetvalue(res, 0, 0));
	PQclear(res);
	if (rc != CTL_OK)
		return rc;
	if ((res = ctl_exec(ctl, "COMMIT", 0, NULL)) == NULL)
		return CTL_FAIL;
	PQclear(res);
	return CTL_OK;
}

/*
 * maracctl purge and subject-access: retention by hand (maracctl(1),
 * sql/013_retention.sql).  A purge runs batch after batch, one
 * transaction each, each waiting for the lock of maracd's purge job so
 * that they never overlap: interrupted, it loses the batch in flight
 * only.  A subject access request never prints or logs the name: standard
 * error says how many referrals were found and where the files are.
 */
#include "ctl.h"
#include "shell/clock.h"
#include "statements/retention.h"
#include "core/identity.h"
#include "core/render/subject_html.h"
#include "core/render/subject_pdf.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

/* What is due, in one statement: its own transaction. */
static int
dry_run(struct ctl *ctl, const struct retention_params *p)
{
	PGresult *res;
	int n;

	if ((res = ctl_exec(ctl, RETENTION_SQL_DUE, 3, p->values)) == NULL)
		return CTL_FAIL;
	n = PQntuples(res);
	fprintf(stderr, "maracctl: as of %s: %d object%s would be purged (dry run)\n",
	    p->today, n, n == 1 ? "" : "s");
	return ctl_rows(ctl, NULL, res);
}

static int
purge(struct ctl *ctl, const struct retention_params *p)
{
	struct retention_batch b;
	const char *counts;
	long total = 0;
	int batches = 0;

	do {
		if (!ctl_do(ctl, "BEGIN", 0, NULL) ||
		    !ctl_do(ctl, RETENTION_SQL_LOCK, 0, NULL) ||
		    !ctl_value(ctl, &counts, RETENTION_SQL_BATCH, 4, p->values))
			return CTL_FAIL;
		if (counts == NULL || retention_batch_parse(counts, &b) != 0)
			return ctl_fail("the purge answered something unexpected");
		if (!ctl_do(ctl, "COMMIT", 0, NULL))
			return CTL_FAIL;
		/* Said at once: a batch committed stays purged. */
		if (b.total > 0)
			printf("purged %ld %s\n", b.total, b.counts);
		total += b.total;
		batches++;
	} while (b.more);
	fprintf(stderr, "maracctl: as of %s: %ld object%s purged in %d batch%s\n",
	    p->today, total, total == 1 ? "" : "s", batches, batches == 1 ? "" : "es");
	return CTL_OK;
}

int
ctl_purge(struct ctl *ctl)
{
	const char *batch = ctl_arg(ctl, "batch");
	struct retention_params p;
	long n = ctl->cfg.retention_batch;

	if (batch != NULL && !ctl_number(batch, 1, 100000, &n))
		return ctl_fail("--batch must be a number from 1 to 100000");
	ctl->cfg.retention_batch = (int)n;
	if (retention_params_make(&p, &ctl->cfg) != 0)
		return ctl_fail("[retention] settings do not fit");
	return ctl_arg(ctl, "dry-run") != NULL ? dry_run(ctl, &p) : purge(ctl, &p);
}

/* The three copies of what subject_access() gathered, each written whole. */
static int
write_copies(const char *prefix, const char *json)
{
	cJSON *doc = cJSON_Parse(json);
	struct buf html, pdf;
	char *pretty = NULL, path[1024];
	int rc = CTL_OK, n;

	buf_init(&html);
	buf_init(&pdf);
	if (doc == NULL || (pretty = cJSON_Print(doc)) == NULL)
		rc = ctl_fail("the database's answer is not JSON");
	else if (subject_html(doc, "Subject access", &html) != 0 ||
	    subject_pdf(doc, "Subject access", &pdf) != 0)
		rc = ctl_fail("cannot render the HTML or PDF copy");
	const struct { const char *ext, *data; size_t len; } f[] = {
		{ "json", pretty, pretty != NULL ? strlen(pretty) : 0 },
		{ "html", buf_str(&html), strlen(buf_str(&html)) },
		{ "pdf", pdf.data, pdf.len },
	};
	for (size_t i = 0; i < 3 && rc == CTL_OK; i++) {
		snprintf(path, sizeof(path), "%s.%s", prefix, f[i].ext);
		rc = ctl_write_file(path, f[i].data, f[i].len, 0600);
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
	const char *prefix = ctl_arg(ctl, "out"), *json;
	char key[IDENTITY_KEY_MAX], now[CLOCK_RFC3339_MAX];
	const char *p[2] = { key, now };
	date_t d;

	if (!date_parse(ctl_arg(ctl, "dob"), &d))
		return ctl_fail("--dob must be a date written YYYY-MM-DD");
	if (!identity_key(ctl_arg(ctl, "name"), d, key, sizeof(key)))
		return ctl_fail("--name has no letter or digit to match on");
	clock_rfc3339(now, sizeof(now));
	if (!ctl_do(ctl, "BEGIN", 0, NULL) ||
	    !ctl_value(ctl, &json, RETENTION_SQL_SUBJECT_ACCESS, 2, p))
		return CTL_FAIL;
	/* The files first: the audit says it was done only once it was. */
	if (write_copies(prefix != NULL ? prefix : "subject-access",
	    json != NULL ? json : "") != CTL_OK)
		return CTL_FAIL;
	return ctl_do(ctl, "COMMIT", 0, NULL) ? CTL_OK : CTL_FAIL;
}

/*
 * maracctl record SITTING | --referral ID [--format F] [--out FILE]: the
 * decision record, made exactly as maracd makes it (recordexport.c), so
 * the hash is the one GET .../record gives for the same rows.
 *
 * It connects as the schema owner, which reads the case tables through
 * the owner's read policies (sql/004_referrals.sql,
 * sql/006_decisions_actions.sql); the export is logged in record_exports
 * and audit_log (role "maracctl record") and committed before the record
 * is written out.  With --out the file is written whole
 * (a temporary file renamed into place) and the hash printed; without, the
 * record goes to standard output.
 *
 * maracctl record --verify FILE checks a JSON export: its content against
 * the hash it states, that hash against the export log, and whether the
 * record is still what the database holds now.
 */
#include "ctl.h"
#include "shell/recordexport.h"
#include "statements/records.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_line[] =
	"record SITTING | --referral ID [--format json|html|csv|pdf] [--out FILE]"
	" | record --verify FILE.json";

/* An export is a file a chair kept; a record is not larger than this. */
#define VERIFY_MAX	(256L * 1024 * 1024)

static bool
run_sql(struct ctl *ctl, const char *sql, int n, const char *const *p)
{
	PGresult *res = ctl_exec(ctl, sql, n, p);

	PQclear(res);
	return res != NULL;
}

static int
write_all(FILE *f, const struct buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
		return -1;
	return fflush(f);
}

static int
write_out(const char *path, const struct recordexport *x)
{
	char *tmp;
	FILE *f;

	if (path == NULL)
		return write_all(stdout, &x->body) == 0 ? CTL_OK :
		    ctl_fail("cannot write the record to standard output");
	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return ctl_fail("out of memory");
	if ((f = fopen(tmp, "wb")) == NULL) {
		free(tmp);
		return ctl_fail("cannot create %s", path);
	}
	if (write_all(f, &x->body) != 0 || fsync(fileno(f)) != 0) {
		fclose(f);
		unlink(tmp);
		free(tmp);
		return ctl_fail("cannot write %s", path);
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		free(tmp);
		return ctl_fail("cannot write %s", path);
	}
	free(tmp);
	printf("%s\n", x->sha256);
	return CTL_OK;
}

static char *
read_file(const char *path, size_t *len)
{
	struct buf b;
	char chunk[65536];
	size_t n;
	FILE *f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	    b.len + n <= VERIFY_MAX)
		buf_add(&b, chunk, n);
	if (ferror(f) || n > 0 || buf_failed(&b) || b.data == NULL) {
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	*len = b.len;
	return b.data;
}

/*
 * The hash of the record as the database holds it now ("" when it is
 * gone).  Returns 0, or -1 after saying why.
 */
static int
current_hash(struct ctl *ctl, const struct recordexport_check *c, char *out)
{
	struct recordexport x;
	const char *why, *p[1];
	char id[24];
	PGresult *res;
	int rc;

	out[0] = '\0';
	snprintf(id, sizeof(id), "%lld", c->id);
	p[0] = id;
	res = ctl_exec(ctl, c->kind == RECORD_SITTING ?
	    RECORDS_SQL_SITTING_SOURCE :
	    RECORDS_SQL_REFERRAL_SOURCE, 1, p);
	if (res == NULL)
		return -1;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return 0;
	}
	rc = recordexport_make(PQgetvalue(res, 0, 0), RECORDEXPORT_JSON, &x, &why);
	PQclear(res);
	if (rc == 0)
		memcpy(out, x.sha256, sizeof(x.sha256));
	else
		ctl_fail("%s %lld: %s", c->kind == RECORD_SITTING ? "sitting" :
		    "referral", c->id, why);
	recordexport_free(&x);
	return rc;
}

static int
verify(struct ctl *ctl, const char *path)
{
	struct recordexport_check c;
	char *text, id[24], now[RECORD_SHA256_HEXLEN];
	const char *why, *p[3];
	PGresult *res;
	size_t len;
	int rc;

	if ((text = read_file(path, &len)) == NULL)
		return ctl_fail("cannot read %s", path);
	rc = recordexport_check(text, len, &c, &why);
	free(text);
	if (rc != 0)
		return ctl_fail("%s: %s", path, why);
	if (strcmp(c.stated, c.computed) != 0)
		return ctl_fail("%s: altered: its content hashes to %s, not to the "
		    "sha256 it states", path, c.computed);
	if (ctl_connect(ctl) != CTL_OK || !run_sql(ctl, "BEGIN", 0, NULL) ||
	    !run_sql(ctl, RECORDS_SQL_SYSTEM, 0, NULL))
		return CTL_FAIL;
	snprintf(id, sizeof(id), "%lld", c.id);
	p[0] = c.kind == RECORD_SITTING ? "sitting" : "referral";
	p[1] = id;
	p[2] = c.computed;
	if ((res = ctl_exec(ctl, RECORDS_SQL_EXPORTS_OF, 3, p)) == NULL)
		return CTL_FAIL;
	if (strcmp(PQgetvalue(res, 0, 0), "0") == 0) {
		PQclear(res);
		return ctl_fail("%s: its content matches its hash, but no export "
		    "of %s %s with hash %s is logged", path, p[0], id, c.computed);
	}
	printf("%s: unaltered %s record %s, sha256 %s\n", path, p[0], id,
	    c.computed);
	printf("exported %s time(s), first at %s\n", PQgetvalue(res, 0, 0),
	    PQgetvalue(res, 0, 1));
	PQclear(res);
	if (current_hash(ctl, &c, now) != 0 || !run_sql(ctl, "COMMIT", 0, NULL))
		return CTL_FAIL;
	printf("current: %s\n", strcmp(now, c.computed) == 0 ? "yes" :
	    "no, the record has changed since");
	return CTL_OK;
}

int
ctl_record(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--referral", "--format", "--out",
	    "--verify", NULL };
	const char *check = ctl_opt(argc, argv, "--verify");
	const char *referral = ctl_opt(argc, argv, "--referral");
	const char *out = ctl_opt(argc, argv, "--out");
	const char *sitting = NULL, *kind, *id, *why, *p[5];
	enum recordexport_format f;
	struct recordexport x;
	PGresult *res;
	int rc;

	if (!ctl_opts_known(argc, argv, known))
		return ctl_usage(usage_line);
	if (check != NULL)
		return argc == 2 ? verify(ctl, check) : ctl_usage(usage_line);
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) == 0) {
			i++;
			continue;
		}
		if (sitting != NULL)
			return ctl_usage(usage_line);
		sitting = argv[i];
	}
	if ((sitting == NULL) == (referral == NULL) ||
	    !recordexport_format_parse(ctl_opt(argc, argv, "--format"), &f))
		return ctl_usage(usage_line);
	kind = sitting != NULL ? "sitting" : "referral";
	id = sitting != NULL ? sitting : referral;
	if (strspn(id, "0123456789") != strlen(id) || strlen(id) == 0 ||
	    strlen(id) > 15)
		return ctl_usage(usage_line);

	if (ctl_connect(ctl) != CTL_OK)
		return CTL_FAIL;
	if (!run_sql(ctl, "BEGIN", 0, NULL) || !run_sql(ctl,
	    RECORDS_SQL_SYSTEM, 0, NULL))
		return CTL_FAIL;
	p[0] = id;
	res = ctl_exec(ctl, sitting != NULL ?
	    RECORDS_SQL_SITTING_SOURCE :
	    RECORDS_SQL_REFERRAL_SOURCE, 1, p);
	if (res == NULL)
		return CTL_FAIL;
	if (PQgetisnull(res, 0, 0)) {
		PQclear(res);
		return ctl_fail("no such %s: %s", kind, id);
	}
	rc = recordexport_make(PQgetvalue(res, 0, 0), f, &x, &why);
	PQclear(res);
	if (rc != 0) {
		recordexport_free(&x);
		return ctl_fail("%s %s: %s", kind, id, why);
	}
	p[0] = kind;
	p[1] = id;
	p[2] = x.forum;
	p[3] = recordexport_format_name(f);
	p[4] = x.sha256;
	if (!run_sql(ctl, RECORDS_SQL_EXPORT_LOG, 5, p) ||
	    !run_sql(ctl, "COMMIT", 0, NULL)) {
		recordexport_free(&x);
		return CTL_FAIL;
	}
	rc = write_out(out, &x);
	recordexport_free(&x);
	return rc;
}

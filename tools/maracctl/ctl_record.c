/*
 * maracctl record SITTING | --referral ID [--format F] [--out FILE]: the
 * decision record, made exactly as maracd makes it (recordexport.c), so
 * the hash is the one GET .../record gives for the same rows.
 *
 * It connects as the schema owner, which reads the case tables through
 * the owner's read policies of sql/011_records.sql; the export is logged
 * in record_exports and audit_log (role "maracctl record") and committed
 * before the record is written out.  With --out the file is written whole
 * (a temporary file renamed into place) and the hash printed; without, the
 * record goes to standard output.
 *
 * maracctl record --verify FILE checks a JSON export: its content against
 * the hash it states, that hash against the export log, and whether the
 * record is still what the database holds now.
 */
#include "ctl.h"
#include "shell/db.h"
#include "shell/record.h"
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

struct rec {
	struct ctl		*ctl;
	enum record_kind	 kind;
	const char		*id;
	enum recordexport_format f;
	struct recordexport_check c;	/* --verify */
	char			 count[24];
	char			 first[40];
	struct recordexport	 x;	/* the export, or now's (--verify) */
	bool			 found;
};

static void
exported(struct record_exported *e, void *arg)
{
	struct rec *rc = arg;

	if (!e->ok && e->why != NULL)
		ctl_done(rc->ctl, ctl_fail("%s %s: %s", record_kind_name(rc->kind),
		    rc->id, e->why));
	else if (!e->ok)
		ctl_done(rc->ctl, ctl_fail_res(e->res));
	else if (!e->found && rc->c.id == 0)
		ctl_done(rc->ctl, ctl_fail("no such %s: %s",
		    record_kind_name(rc->kind), rc->id));
	else {
		/* Kept for after the commit. */
		rc->found = e->found;
		if (e->found) {
			rc->x = *e->x;
			buf_init(&e->x->body);
		}
		ctl_done(rc->ctl, CTL_OK);
	}
}

static void
export_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	struct rec *rc = arg;

	(void)ctl;
	record_export(txn, rc->kind, rc->id, rc->f, rc->c.id == 0, exported, rc);
}

static void
logged(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct rec *rc = arg;

	if (!db_ok(res) || PQntuples(res) != 1) {
		ctl_done(rc->ctl, ctl_fail_res(res));
		return;
	}
	snprintf(rc->count, sizeof(rc->count), "%s", PQgetvalue(res, 0, 0));
	snprintf(rc->first, sizeof(rc->first), "%s", PQgetvalue(res, 0, 1));
	if (strcmp(rc->count, "0") == 0) {
		ctl_done(rc->ctl, CTL_OK);
		return;
	}
	/* The record as the database holds it now, not logged. */
	export_start(rc->ctl, txn, rc);
}

static void
verify_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	struct rec *rc = arg;
	const char *p[3] = { record_kind_name(rc->kind), rc->id, rc->c.computed };

	(void)ctl;
	db_query(txn, RECORDS_SQL_EXPORTS_OF, 3, p, logged, rc);
}

static int
verify(struct ctl *ctl, const char *path)
{
	struct rec rc = { .ctl = ctl, .f = RECORDEXPORT_JSON };
	char *text, id[24];
	const char *why;
	size_t len;
	int r;

	if ((text = read_file(path, &len)) == NULL)
		return ctl_fail("cannot read %s", path);
	r = recordexport_check(text, len, &rc.c, &why);
	free(text);
	if (r != 0)
		return ctl_fail("%s: %s", path, why);
	if (strcmp(rc.c.stated, rc.c.computed) != 0)
		return ctl_fail("%s: altered: its content hashes to %s, not to the "
		    "sha256 it states", path, rc.c.computed);
	snprintf(id, sizeof(id), "%lld", rc.c.id);
	rc.id = id;
	rc.kind = rc.c.kind;
	buf_init(&rc.x.body);
	if ((r = ctl_run(ctl, "maracctl record", verify_start, &rc)) != CTL_OK)
		goto done;
	if (strcmp(rc.count, "0") == 0) {
		r = ctl_fail("%s: its content matches its hash, but no export "
		    "of %s %s with hash %s is logged", path,
		    record_kind_name(rc.kind), id, rc.c.computed);
		goto done;
	}
	printf("%s: unaltered %s record %s, sha256 %s\n", path,
	    record_kind_name(rc.kind), id, rc.c.computed);
	printf("exported %s time(s), first at %s\n", rc.count, rc.first);
	printf("current: %s\n", rc.found && strcmp(rc.x.sha256,
	    rc.c.computed) == 0 ? "yes" : "no, the record has changed since");
done:
	recordexport_free(&rc.x);
	return r;
}

int
ctl_record(struct ctl *ctl, int argc, char **argv)
{
	static const char *const known[] = { "--referral", "--format", "--out",
	    "--verify", NULL };
	const char *check = ctl_opt(argc, argv, "--verify");
	const char *referral = ctl_opt(argc, argv, "--referral");
	const char *out = ctl_opt(argc, argv, "--out");
	const char *sitting = NULL;
	struct rec rc = { .ctl = ctl };
	int r;

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
	    !recordexport_format_parse(ctl_opt(argc, argv, "--format"), &rc.f))
		return ctl_usage(usage_line);
	rc.kind = sitting != NULL ? RECORD_SITTING : RECORD_REFERRAL;
	rc.id = sitting != NULL ? sitting : referral;
	if (strspn(rc.id, "0123456789") != strlen(rc.id) || strlen(rc.id) == 0 ||
	    strlen(rc.id) > 15)
		return ctl_usage(usage_line);
	buf_init(&rc.x.body);
	if ((r = ctl_run(ctl, "maracctl record", export_start, &rc)) == CTL_OK)
		r = write_out(out, &rc.x);
	recordexport_free(&rc.x);
	return r;
}

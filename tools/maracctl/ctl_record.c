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
#include "shell/db.h"
#include "shell/record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_line[] =
	"record SITTING | --referral ID [--format json|html|csv|pdf] [--out FILE]"
	" | record --verify FILE.json";

/* An export is a file a chair kept; a record is not larger than this. */
#define VERIFY_MAX	(256L * 1024 * 1024)

/* To path (whole, then its hash printed), or to standard output. */
static int
write_out(const char *path, const struct recordexport *x)
{
	const struct buf *b = &x->body;

	if (path == NULL)
		return (b->len == 0 || fwrite(b->data, 1, b->len, stdout) ==
		    b->len) && fflush(stdout) == 0 ? CTL_OK :
		    ctl_fail("cannot write the record to standard output");
	if (ctl_write_file(path, b->data, b->len, 0666) != CTL_OK)
		return CTL_FAIL;
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
	struct recordexport	 x;	/* kept for after the commit */
	struct recordexport_check c;	/* --verify */
	long long		 exports;
	char			 first[40];
	bool			 current;
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
	else if (!e->found)
		ctl_done(rc->ctl, ctl_fail("no such %s: %s",
		    record_kind_name(rc->kind), rc->id));
	else {
		rc->x = *e->x;
		buf_init(&e->x->body);
		ctl_done(rc->ctl, CTL_OK);
	}
}

static void
export_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	struct rec *rc = arg;

	(void)ctl;
	record_export(txn, rc->kind, rc->id, rc->f, true, exported, rc);
}

static void
verified(const struct record_verified *v, void *arg)
{
	struct rec *rc = arg;

	if (!v->ok) {
		ctl_done(rc->ctl, v->why != NULL ? ctl_fail("%s %lld: %s",
		    record_kind_name(rc->c.kind), rc->c.id, v->why) :
		    ctl_fail_res(v->res));
		return;
	}
	rc->exports = v->exports;
	snprintf(rc->first, sizeof(rc->first), "%s", v->first);
	rc->current = v->current;
	ctl_done(rc->ctl, CTL_OK);
}

static void
verify_start(struct ctl *ctl, struct db_txn *txn, void *arg)
{
	(void)ctl;
	record_verify(txn, &((struct rec *)arg)->c, verified, arg);
}

static int
verify(struct ctl *ctl, const char *path)
{
	struct rec rc = { .ctl = ctl };
	const char *why, *kind;
	char *text;
	size_t len;
	int r;

	if ((text = read_file(path, &len)) == NULL)
		return ctl_fail("cannot read %s", path);
	r = recordexport_check(text, len, &rc.c, &why);
	free(text);
	if (r != 0)
		return ctl_fail("%s: %s", path, why);
	kind = record_kind_name(rc.c.kind);
	if (strcmp(rc.c.stated, rc.c.computed) != 0)
		return ctl_fail("%s: altered: its content hashes to %s, not to the "
		    "sha256 it states", path, rc.c.computed);
	if ((r = ctl_run(ctl, "maracctl record", verify_start, &rc)) != CTL_OK)
		return r;
	if (rc.exports == 0)
		return ctl_fail("%s: its content matches its hash, but no export "
		    "of %s %lld with hash %s is logged", path, kind, rc.c.id,
		    rc.c.computed);
	printf("%s: unaltered %s record %lld, sha256 %s\n", path, kind, rc.c.id,
	    rc.c.computed);
	printf("exported %lld time(s), first at %s\n", rc.exports, rc.first);
	printf("current: %s\n", rc.current ? "yes" :
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

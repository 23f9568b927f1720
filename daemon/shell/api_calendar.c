/*
 * Bank holidays and sittings over HTTP: reading them (any role), and the
 * coordinator's changes to them (admin), each audited in its own
 * transaction.  Every change to holidays or sittings takes the sittings
 * lock first (statements/calendar.h), so it cannot interleave with the sittings job
 * of any maracd process; a holiday change then refreshes the sittings in
 * the same transaction, so cutoffs never lag a new holiday.
 */
#include "shell/api.h"
#include "shell/api_util.h"
#include "shell/app.h"
#include "shell/calendar.h"
#include "shell/db.h"
#include "statements/calendar.h"
#include "shell/clock.h"
#include "shell/config.h"
#include "core/jsonfield.h"
#include "core/sittings.h"
#include "core/workdays.h"
#include "shell/log.h"
#include "statements/sittings.h"
#include "core/forum.h"
#include "core/instant.h"
#include "core/sqlstate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest span a listing may cover. */
#define SPAN_MAX_YEARS	20
#define VENUE_MAX_LEN	200


/* One request's state across its statements. */
struct calreq {
	struct http_req	*r;
	struct calendar_stmt	 cs;
	char		 forum[CALENDAR_FORUM_MAX];
	char		 area[CALENDAR_AREA_MAX];
	long long	 id;
	date_t		 from, to;	/* listings */
	date_t		 date;		/* the holiday or the sitting's (new) date */
	date_t		 replaces;	/* a moved holiday's old date */
	bool		 has_date, has_replaces;
	/* A holiday removed (DELETE, or a page's POST calling the handler). */
	bool		 removing;
	char		*name;
	char		*venue;
	bool		 venue_set;	/* venue given, maybe null */
	int		 status;	/* -1 unchanged, 0 scheduled, 1 cancelled */
	bool		 moved;		/* date or status changed */
	/* POST /v1/sittings, not PATCH: a page calls either with its POST. */
	bool		 adding;
	cJSON		*out;		/* an answer waiting for a last statement */
};

static void	sitting_locked(struct db_txn *, const PGresult *, void *);

static struct calreq *
calreq_new(struct http_req *r)
{
	struct calreq *cq = calloc(1, sizeof(*cq));

	if (cq == NULL) {
		http_reply_error(r, 503, "out_of_memory", "try again later");
		return NULL;
	}
	cq->r = r;
	cq->status = -1;
	calendar_stmt_init(&cq->cs);
	return cq;
}

static void
calreq_free(struct calreq *cq)
{
	calendar_stmt_free(&cq->cs);
	cJSON_Delete(cq->out);
	free(cq->name);
	free(cq->venue);
	free(cq);
}

/* Each of these answers the request and ends cq. */

static void
fail_db(struct calreq *cq, const PGresult *res)
{
	api_reply_db_error(cq->r, res);
	calreq_free(cq);
}

static void
fail_field(struct calreq *cq, const char *field, const char *reason)
{
	api_reply_field(cq->r, field, reason);
	calreq_free(cq);
}

static void
fail_invalid(struct calreq *cq, const struct field_errors *errs)
{
	api_reply_invalid(cq->r, errs);
	calreq_free(cq);
}

static void
fail(struct calreq *cq, int status, const char *code, const char *message)
{
	http_reply_error(cq->r, status, code, message);
	calreq_free(cq);
}

static void
reply_commit(struct calreq *cq, int status, cJSON *body)
{
	http_reply_commit(cq->r, status, body);
	calreq_free(cq);
}

/*
 * A calendar load or refresh that failed.  With field, rows that make no
 * calendar are the request's doing (a holiday too many): 422 on it.
 * Without, they were stored before: the fault is the deployment's.
 */
static void
fail_status(struct calreq *cq, const struct calendar_status *st,
    const char *field)
{
	if (st->why == NULL) {
		fail_db(cq, st->res);
		return;
	}
	if (field != NULL) {
		fail_field(cq, field, st->why);
		return;
	}
	log_error("http: %s %s", cq->r->id, st->why);
	fail(cq, 500, "internal_error", "the stored calendar is invalid; "
	    "see maracctl holidays");
}

static bool
in_years(date_t d)
{
	int y, m, day;

	date_to_ymd(d, &y, &m, &day);
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR;
}

/* A date from text; false (and an error) when given but wrong. */
static bool
date_text(const char *s, const char *field, date_t *out, bool *has,
    struct field_errors *errs)
{
	*has = false;
	if (s == NULL)
		return true;
	if (!date_parse(s, out)) {
		field_errors_add(errs, field, "must be a real calendar date "
		    "written YYYY-MM-DD");
		return false;
	}
	if (!in_years(*out)) {
		field_errors_add(errs, field, "must be in the years %d to %d",
		    DATE_MIN_YEAR, DATE_MAX_YEAR);
		return false;
	}
	*has = true;
	return true;
}

/* A date member of a JSON body. */
static void
date_member(const cJSON *o, const char *key, bool required, date_t *out,
    bool *has, struct field_errors *errs)
{
	const cJSON *m = jsonfield_get(o, key);

	*has = false;
	if (m == NULL) {
		if (required)
			field_errors_add(errs, key, "is required");
		return;
	}
	if (!cJSON_IsString(m)) {
		field_errors_add(errs, key, "must be a date written YYYY-MM-DD");
		return;
	}
	(void)date_text(m->valuestring, key, out, has, errs);
}

/* from <= to, at most SPAN_MAX_YEARS apart. */
static void
span_check(date_t from, date_t to, struct field_errors *errs)
{
	if (to < from)
		field_errors_add(errs, "to", "must not be before from");
	else if (to - from > SPAN_MAX_YEARS * 366)
		field_errors_add(errs, "to", "must be at most %d years after from",
		    SPAN_MAX_YEARS);
}

static bool
code_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	return n >= 1 && n <= max &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

/* Parse the JSON body as an object of known members; NULL has answered. */
static cJSON *
body_object(struct calreq *cq, const char *const known[],
    struct field_errors *errs)
{
	cJSON *o = jsonfield_parse(cq->r->body, cq->r->body_len);

	if (o == NULL) {
		fail(cq, 400, "bad_json", "the body is not well-formed JSON");
		return NULL;
	}
	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		fail_field(cq, "$", "must be a JSON object");
		return NULL;
	}
	jsonfield_members(o, "", known, errs);
	return o;
}

static void
date_json(cJSON *o, const char *key, date_t d)
{
	char buf[DATE_STRLEN];

	cJSON_AddStringToObject(o, key, date_format(d, buf));
}

/* ---- GET /v1/holidays ------------------------------------------------- */

static void
holidays_loaded(const struct calendar_status *st, void *arg)
{
	struct calreq *cq = arg;
	struct holiday *h;
	size_t n;
	cJSON *o, *list;

	if (!st->ok) {
		fail_status(cq, st, NULL);
		return;
	}
	n = workdays_holidays_in(&cq->cs.cal, cq->from, cq->to, NULL, 0);
	if ((h = calloc(n + 1, sizeof(*h))) == NULL) {
		fail(cq, 503, "out_of_memory", "try again later");
		return;
	}
	workdays_holidays_in(&cq->cs.cal, cq->from, cq->to, h, n);
	o = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(o, "holidays");
	for (size_t i = 0; i < n; i++) {
		cJSON *e = cJSON_CreateObject();

		date_json(e, "date", h[i].date);
		cJSON_AddStringToObject(e, "name", h[i].name);
		cJSON_AddItemToArray(list, e);
	}
	free(h);
	reply_commit(cq, 200, o);
}

void
api_holidays_list(struct http_req *r)
{
	struct field_errors errs;
	struct calreq *cq;
	bool hf = false, ht = false;

	if ((cq = calreq_new(r)) == NULL)
		return;
	field_errors_init(&errs);
	if (http_query_get(r, "from") == NULL)
		field_errors_add(&errs, "from", "is required");
	if (http_query_get(r, "to") == NULL)
		field_errors_add(&errs, "to", "is required");
	date_text(http_query_get(r, "from"), "from", &cq->from, &hf, &errs);
	date_text(http_query_get(r, "to"), "to", &cq->to, &ht, &errs);
	if (hf && ht)
		span_check(cq->from, cq->to, &errs);
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	calendar_load(r->txn, &cq->cs, holidays_loaded, cq);
}

/* ---- POST /v1/holidays, DELETE /v1/holidays/{date} ----------------------- */

static void
holiday_changed(const struct calendar_holiday_changed *c, void *arg)
{
	struct calreq *cq = arg;
	bool removing = cq->removing;
	cJSON *o;

	if (!c->status.ok) {
		fail_status(cq, &c->status, c->loaded ? "date" : NULL);
		return;
	}
	if (c->no_holiday) {
		if (removing)
			fail(cq, 404, "not_found", "that day is not a bank holiday");
		else
			fail_field(cq, "replaces", "is not a bank holiday");
		return;
	}
	o = cJSON_CreateObject();
	date_json(o, "date", cq->date);
	if (removing) {
		cJSON_AddStringToObject(o, "name", c->old);
		cJSON_AddBoolToObject(o, "removed", true);
		reply_commit(cq, 200, o);
		return;
	}
	cJSON_AddStringToObject(o, "name", cq->name != NULL ? cq->name : c->old);
	if (cq->has_replaces)
		date_json(o, "replaces", cq->replaces);
	reply_commit(cq, 201, o);
}

static void
holiday_change(struct calreq *cq)
{
	const struct config *cfg = cq->r->app->cfg;
	struct calendar_holiday h = { cq->removing, cq->date,
	    cq->name, cq->has_replaces, cq->replaces };

	calendar_holiday_change(cq->r->txn, &h, cfg->horizon_weeks * 7,
	    cfg->reminders_coordinator_email, holiday_changed, cq);
}

void
api_holidays_add(struct http_req *r)
{
	static const char *const known[] = { "date", "name", "replaces", NULL };
	struct field_errors errs;
	struct calreq *cq;
	cJSON *o;

	if ((cq = calreq_new(r)) == NULL)
		return;
	field_errors_init(&errs);
	if ((o = body_object(cq, known, &errs)) == NULL)
		return;
	date_member(o, "date", true, &cq->date, &cq->has_date, &errs);
	date_member(o, "replaces", false, &cq->replaces, &cq->has_replaces, &errs);
	jsonfield_string(o, "", "name", cq->has_replaces ? 0 : JSONFIELD_REQUIRED,
	    CALENDAR_HOLIDAY_NAME_MAX, &cq->name, &errs);
	cJSON_Delete(o);
	if (cq->has_date && cq->has_replaces && cq->date == cq->replaces)
		field_errors_add(&errs, "replaces", "must differ from date");
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	holiday_change(cq);
}

void
api_holidays_remove(struct http_req *r)
{
	struct field_errors errs;
	struct calreq *cq;

	if ((cq = calreq_new(r)) == NULL)
		return;
	cq->removing = true;
	field_errors_init(&errs);
	date_text(r->params[0], "date", &cq->date, &cq->has_date, &errs);
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	holiday_change(cq);
}

/* ---- sittings ----------------------------------------------------------- */

/* ---- GET /v1/sittings ----------------------------------------------------- */

static void
sittings_listed(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct calreq *cq = arg;
	cJSON *o, *list;

	(void)txn;
	if (!db_ok(res)) {
		fail_db(cq, res);
		return;
	}
	o = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(o, "sittings");
	for (int i = 0; i < PQntuples(res); i++)
		cJSON_AddItemToArray(list, sittings_row_json(res, i));
	reply_commit(cq, 200, o);
}

void
api_sittings_list(struct http_req *r)
{
	const char *forum = http_query_get(r, "forum");
	const char *area = http_query_get(r, "area");
	char from[DATE_STRLEN], to[DATE_STRLEN], today[DATE_STRLEN];
	const char *p[5] = { forum, area, NULL, NULL, today };
	struct field_errors errs;
	struct calreq *cq;
	bool hf = false, ht = false;

	if ((cq = calreq_new(r)) == NULL)
		return;
	field_errors_init(&errs);
	if (forum != NULL && forum_of(forum) == FORUM_NONE)
		field_errors_add(&errs, "forum", "must be marac or masc");
	if (area != NULL && !code_ok(area, CALENDAR_AREA_MAX - 1))
		field_errors_add(&errs, "area", "must be an area code");
	date_text(http_query_get(r, "from"), "from", &cq->from, &hf, &errs);
	date_text(http_query_get(r, "to"), "to", &cq->to, &ht, &errs);
	if (hf && ht)
		span_check(cq->from, cq->to, &errs);
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	p[2] = hf ? date_format(cq->from, from) : NULL;
	p[3] = ht ? date_format(cq->to, to) : NULL;
	date_format(api_today(), today);
	db_query(r->txn, SITTINGS_SQL_LIST, 5, p, sittings_listed, cq);
}

/* ---- POST /v1/sittings ------------------------------------------------------ */

/*
 * The sitting added or moved (cq->out) once its referrals have followed
 * the rule: 201 for an added one, 200 for a changed one.
 */
static void
sitting_settled(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct calreq *cq = arg;
	cJSON *o = cq->out;

	(void)txn;
	if (!db_ok(res)) {
		fail_db(cq, res);
		return;
	}
	cq->out = NULL;
	reply_commit(cq, cq->adding ? 201 : 200, o);
}

/* Another sitting of the forum in the area that day: a 409, or false. */
static bool
sitting_clashed(struct calreq *cq, const PGresult *res)
{
	if (res == NULL || strcmp(db_sqlstate(res), SQLSTATE_UNIQUE_VIOLATION) != 0)
		return false;
	fail(cq, 409, "conflict", "the forum already sits in that area on that day");
	return true;
}

static void
sitting_added(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct calreq *cq = arg;
	char today[DATE_STRLEN];
	const char *p[1] = { today };

	if (sitting_clashed(cq, res))
		return;
	if (!db_ok(res) || PQntuples(res) != 1) {
		fail_db(cq, res);
		return;
	}
	/*
	 * Referrals waiting for a sitting may join this one (the sittings
	 * job's rule, in this transaction).  REFERRALS: a sitting added
	 * before the next one may also be where some of that one's listed
	 * referrals belong; they stay where they are.
	 */
	cq->out = sittings_row_json(res, 0);
	date_format(cq->cs.today, today);
	db_query(txn, CALENDAR_SQL_RESOLVE, 1, p, sitting_settled, cq);
}

static void
sitting_add_loaded(const struct calendar_status *st, void *arg)
{
	struct calreq *cq = arg;
	const struct calendar_stmt_series *s;
	char d[DATE_STRLEN], cut[DATE_STRLEN];
	const char *p[5];

	if (!st->ok) {
		fail_status(cq, st, NULL);
		return;
	}
	if ((s = calendar_stmt_series_find(&cq->cs, cq->forum, cq->area)) == NULL) {
		fail_field(cq, "area", "has no series for this forum "
		    "(see maracd.conf(5), [calendar])");
		return;
	}
	if (cq->date < cq->cs.today) {
		fail_field(cq, "date", "must not be in the past");
		return;
	}
	p[0] = cq->forum;
	p[1] = cq->area;
	p[2] = date_format(cq->date, d);
	p[3] = date_format(sittings_cutoff_date(&cq->cs.cal, &s->rule, cq->date), cut);
	p[4] = cq->venue;
	db_query(cq->r->txn, SITTINGS_SQL_ADD, 5, p, sitting_added, cq);
}

void
api_sittings_add(struct http_req *r)
{
	static const char *const known[] = { "forum", "area", "date", "venue", NULL };
	struct field_errors errs;
	struct calreq *cq;
	char *area = NULL;
	cJSON *o;
	int k = 0;

	if ((cq = calreq_new(r)) == NULL)
		return;
	field_errors_init(&errs);
	if ((o = body_object(cq, known, &errs)) == NULL)
		return;
	if (jsonfield_choice(o, "", "forum", JSONFIELD_REQUIRED, forum_codes, &k,
	    &errs) == JSONFIELD_OK)
		snprintf(cq->forum, sizeof(cq->forum), "%s", forum_codes[k]);
	if (jsonfield_code(o, "", "area", 0, CALENDAR_AREA_MAX - 1, &area,
	    &errs) == JSONFIELD_ABSENT)
		area = strdup(r->app->cfg->area);
	if (area != NULL)
		snprintf(cq->area, sizeof(cq->area), "%s", area);
	free(area);
	date_member(o, "date", true, &cq->date, &cq->has_date, &errs);
	jsonfield_string(o, "", "venue", 0, VENUE_MAX_LEN, &cq->venue, &errs);
	cJSON_Delete(o);
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	cq->adding = true;
	db_query(r->txn, CALENDAR_SQL_LOCK, 0, NULL, sitting_locked, cq);
}

/* ---- PATCH /v1/sittings/{id} ------------------------------------------------ */

static void
sitting_updated(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct calreq *cq = arg;
	char id[24], today[DATE_STRLEN];
	const char *p[3] = { id, today,
	    cq->r->app->cfg->reminders_coordinator_email };
	cJSON *o;

	if (sitting_clashed(cq, res))
		return;
	if (!db_ok(res) || PQntuples(res) != 1) {
		fail_db(cq, res);
		return;
	}
	o = sittings_row_json(res, 0);
	if (!cq->moved) {
		reply_commit(cq, 200, o);
		return;
	}
	/*
	 * Its referrals follow the rule again (sql/004_referrals.sql), or
	 * wait when no sitting is left for them; a reinstated sitting may
	 * take waiting ones.
	 */
	cq->out = o;
	snprintf(id, sizeof(id), "%lld", cq->id);
	date_format(cq->cs.today, today);
	db_query(txn, SITTINGS_SQL_REASSIGN, 3, p, sitting_settled, cq);
}

static void
sitting_got(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct calreq *cq = arg;
	const struct calendar_stmt_series *s;
	char id[24], d[DATE_STRLEN], cut[DATE_STRLEN];
	const char *p[8];
	const char *action;
	date_t was;
	bool cancelled, now_cancelled, recut;

	if (!db_ok(res)) {
		fail_db(cq, res);
		return;
	}
	if (PQntuples(res) != 1) {
		fail(cq, 404, "not_found", "no such sitting");
		return;
	}
	snprintf(cq->forum, sizeof(cq->forum), "%s", PQgetvalue(res, 0, 0));
	snprintf(cq->area, sizeof(cq->area), "%s", PQgetvalue(res, 0, 1));
	if (!date_parse(PQgetvalue(res, 0, 2), &was)) {
		fail_db(cq, NULL);
		return;
	}
	cancelled = PQgetvalue(res, 0, 3)[0] == 't';
	now_cancelled = cq->status == -1 ? cancelled : cq->status == 1;
	if (!cq->has_date)
		cq->date = was;
	/*
	 * Held (before today by the clock; today's sitting is still to come):
	 * history.  Its venue may be corrected, its date and status not.
	 */
	if (was < cq->cs.today && (cq->date != was || now_cancelled != cancelled)) {
		char msg[160], held[DATE_STRLEN];

		snprintf(msg, sizeof(msg), "the sitting of %s has been held: it "
		    "cannot be moved, cancelled or reinstated (its venue and "
		    "minutes may still be corrected)", date_format(was, held));
		fail(cq, 409, "sitting_held", msg);
		return;
	}
	if (cq->date != was && cq->date < cq->cs.today) {
		fail_field(cq, "date", "must not be in the past");
		return;
	}
	s = calendar_stmt_series_find(&cq->cs, cq->forum, cq->area);
	recut = !now_cancelled && (cq->date != was || cancelled);
	if (recut && s == NULL) {
		fail_field(cq, "date", "the sitting's forum and area have no series "
		    "to compute a cutoff with");
		return;
	}
	cq->moved = cq->date != was || now_cancelled != cancelled;
	if (now_cancelled && !cancelled)
		action = "sitting.cancel";
	else if (!now_cancelled && cancelled)
		action = "sitting.reinstate";
	else if (cq->date != was)
		action = "sitting.move";
	else
		action = "sitting.update";
	snprintf(id, sizeof(id), "%lld", cq->id);
	p[0] = id;
	p[1] = date_format(cq->date, d);
	p[2] = now_cancelled ? "cancelled" : "scheduled";
	p[3] = recut ? date_format(sittings_cutoff_date(&cq->cs.cal, &s->rule,
	    cq->date), cut) : NULL;
	p[4] = cq->venue;
	p[5] = cq->venue_set ? "t" : "f";
	p[6] = action;
	p[7] = cq->moved ? "t" : "f";
	db_query(txn, SITTINGS_SQL_UPDATE, 8, p, sitting_updated, cq);
}

static void
sitting_update_loaded(const struct calendar_status *st, void *arg)
{
	struct calreq *cq = arg;
	char id[24];
	const char *p[1] = { id };

	if (!st->ok) {
		fail_status(cq, st, NULL);
		return;
	}
	snprintf(id, sizeof(id), "%lld", cq->id);
	db_query(cq->r->txn, SITTINGS_SQL_GET_LOCKED, 1, p, sitting_got, cq);
}

static void
sitting_locked(struct db_txn *txn, const PGresult *res, void *arg)
{
	struct calreq *cq = arg;

	if (!db_ok(res)) {
		fail_db(cq, res);
		return;
	}
	calendar_load(txn, &cq->cs, cq->adding ? sitting_add_loaded :
	    sitting_update_loaded, cq);
}

void
api_sittings_update(struct http_req *r)
{
	static const char *const known[] = { "status", "date", "venue", NULL };
	static const char *const statuses[] = { "scheduled", "cancelled", NULL };
	struct field_errors errs;
	struct calreq *cq;
	const cJSON *venue;
	cJSON *o;
	int k = 0;

	if ((cq = calreq_new(r)) == NULL)
		return;
	if (!api_parse_id(r->params[0], &cq->id)) {
		fail(cq, 404, "not_found", "no such sitting");
		return;
	}
	field_errors_init(&errs);
	if ((o = body_object(cq, known, &errs)) == NULL)
		return;
	if (jsonfield_choice(o, "", "status", 0, statuses, &k, &errs) == JSONFIELD_OK)
		cq->status = k;
	date_member(o, "date", false, &cq->date, &cq->has_date, &errs);
	venue = cJSON_GetObjectItemCaseSensitive(o, "venue");
	if (venue != NULL) {
		cq->venue_set = true;
		jsonfield_string(o, "", "venue", 0, VENUE_MAX_LEN, &cq->venue, &errs);
	}
	if (cJSON_GetArraySize(o) == 0)
		field_errors_add(&errs, "$", "must set status, date or venue");
	cJSON_Delete(o);
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	db_query(r->txn, CALENDAR_SQL_LOCK, 0, NULL, sitting_locked, cq);
}

/* ---- GET /v1/sittings/for ------------------------------------------------- */

static void
assigned(const struct calendar_assignment *a, void *arg)
{
	struct calreq *cq = arg;
	const char *at = http_query_get(cq->r, "received_at");
	cJSON *o, *s;

	if (!a->status.ok) {
		fail_db(cq, a->status.res);
		return;
	}
	o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "forum", cq->forum);
	cJSON_AddStringToObject(o, "area", cq->area);
	if (at != NULL)
		cJSON_AddStringToObject(o, "received_at", at);
	else
		cJSON_AddNullToObject(o, "received_at");
	cJSON_AddStringToObject(o, "received_date", a->received_date);
	if (!a->found) {
		cJSON_AddNullToObject(o, "sitting");
	} else {
		s = cJSON_AddObjectToObject(o, "sitting");
		cJSON_AddNumberToObject(s, "id", (double)a->sitting_id);
		cJSON_AddStringToObject(s, "date", a->date);
		cJSON_AddStringToObject(s, "cutoff", a->cutoff);
	}
	reply_commit(cq, 200, o);
}

void
api_sittings_for(struct http_req *r)
{
	const char *forum = http_query_get(r, "forum");
	const char *area = http_query_get(r, "area");
	const char *at = http_query_get(r, "received_at");
	struct field_errors errs;
	struct calreq *cq;
	date_t d;

	if ((cq = calreq_new(r)) == NULL)
		return;
	field_errors_init(&errs);
	if (forum_of(forum) == FORUM_NONE)
		field_errors_add(&errs, "forum", "must be marac or masc");
	else
		snprintf(cq->forum, sizeof(cq->forum), "%s", forum);
	if (area == NULL)
		area = r->app->cfg->area;
	if (!code_ok(area, CALENDAR_AREA_MAX - 1))
		field_errors_add(&errs, "area", "must be an area code");
	else
		snprintf(cq->area, sizeof(cq->area), "%s", area);
	if (at != NULL && (!instant_parse(at, INSTANT_RFC3339, NULL, &d) || !in_years(d)))
		field_errors_add(&errs, "received_at", "must be an RFC 3339 instant "
		    "with an offset, such as 2026-12-09T23:59:59Z");
	if (field_errors_any(&errs)) {
		fail_invalid(cq, &errs);
		return;
	}
	calendar_assign(r->txn, cq->forum, cq->area, at, assigned, cq);
}

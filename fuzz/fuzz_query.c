/*
 * libFuzzer target: query strings, the way maracd takes them apart.
 *
 * The input is the part of a request's target after "?".  As in
 * http.c's dispatch, libevent parses the target (evhttp_uri_parse) and
 * the query (evhttp_parse_query_str, which also percent-decodes), and the
 * path is decoded with evhttp_uridecode; then the list endpoints'
 * parameters go through core/listquery.c and the calendar's dates through
 * date_parse, as the handlers do.  Beyond not crashing, the target checks
 * what the handlers rely on: an accepted id is 1 to 15 digits and
 * positive, an accepted limit within its bound, an accepted date prints
 * back as the same text, and every refusal names a parameter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include "core/date.h"
#include "core/listquery.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "fuzz_query: %s\n", #c); abort(); } } while (0)

static void
check_id(const char *s)
{
	long long v = -1;

	if (s == NULL || !listquery_id(s, &v))
		return;
	CHECK(strlen(s) >= 1 && strlen(s) <= LISTQUERY_ID_DIGITS);
	CHECK(strspn(s, "0123456789") == strlen(s));
	CHECK(v >= 1 && v <= 999999999999999LL);
	CHECK(strtoll(s, NULL, 10) == v);
}

static void
check_limit(const char *s, long long max, const struct field_errors *errs)
{
	long long v;

	if (s == NULL || field_errors_find(errs, "limit") != NULL)
		return;
	CHECK(listquery_id(s, &v) && v >= 1 && v <= max);
}

static void
check_date(const char *s)
{
	char buf[DATE_STRLEN];
	date_t d;

	if (s == NULL || !date_parse(s, &d))
		return;
	CHECK(strcmp(date_format(d, buf), s) == 0);
}

static void
check_errors(const struct field_errors *errs, size_t params)
{
	CHECK(errs->count <= params && !errs->overflow);
	for (size_t i = 0; i < errs->count; i++)
		CHECK(errs->items[i].field[0] != '\0' && errs->items[i].reason[0] != '\0');
}

static void
lists(struct evkeyvalq *q)
{
#define GET(name) evhttp_find_header(q, name)
	struct referral_list_query rq = { GET("forum"), GET("status"),
	    GET("sitting"), GET("after"), GET("limit"), GET("area"), GET("agency"),
	    GET("from"), GET("to") };
	struct action_list_query aq = { GET("agency"), GET("status"),
	    GET("referral"), GET("sitting"), GET("as_of"), GET("after"),
	    GET("limit") };
	struct field_errors errs;

	field_errors_init(&errs);
	listquery_referrals(&rq, &errs);
	check_errors(&errs, 9);
	check_limit(rq.limit, REFERRAL_LIST_LIMIT_MAX, &errs);
	if (rq.forum != NULL && field_errors_find(&errs, "forum") == NULL)
		CHECK(strcmp(rq.forum, "marac") == 0 || strcmp(rq.forum, "masc") == 0);

	field_errors_init(&errs);
	listquery_actions(&aq, &errs);
	check_errors(&errs, 7);
	check_limit(aq.limit, ACTION_LIST_LIMIT_MAX, &errs);
	if (aq.agency != NULL && field_errors_find(&errs, "agency") == NULL)
		CHECK(aq.agency[0] != '\0' && strlen(aq.agency) <= AGENCY_CODE_MAX);
	if (aq.as_of != NULL && field_errors_find(&errs, "as_of") == NULL)
		check_date(aq.as_of);

	check_id(GET("sitting"));
	check_id(GET("after"));
	check_id(GET("referral"));
	check_id(GET("limit"));
	check_date(GET("from"));
	check_date(GET("to"));
	check_date(GET("received_at"));
#undef GET
}

static void
parse(const char *qs)
{
	struct evkeyvalq q;

	TAILQ_INIT(&q);
	if (evhttp_parse_query_str(qs, &q) == 0)
		lists(&q);
	evhttp_clear_headers(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct evhttp_uri *uri;
	char *s, *target, *path;
	const char *qs;

	if ((s = malloc(size + 1)) == NULL || (target = malloc(size + 16)) == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	/* The query string alone, as evhttp_parse_query_str sees it... */
	parse(s);
	/* ...and inside a request target, as dispatch gets it. */
	snprintf(target, size + 16, "/v1/referrals?%s", s);
	if ((uri = evhttp_uri_parse(target)) != NULL) {
		if ((path = evhttp_uridecode(evhttp_uri_get_path(uri) != NULL ?
		    evhttp_uri_get_path(uri) : "/", 0, NULL)) != NULL)
			free(path);
		if ((qs = evhttp_uri_get_query(uri)) != NULL)
			parse(qs);
		evhttp_uri_free(uri);
	}
	free(target);
	free(s);
	return 0;
}

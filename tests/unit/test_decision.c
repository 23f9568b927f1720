/*
 * Decisions, actions and minutes: the areas of a forum, the checking of
 * what chairs and agencies send, and the outstanding / overdue rule.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "core/action.h"
#include "core/decision.h"
#include "core/minutes.h"
#include "unit_date.h"

/* Normalise text with f and return the errors' fields, space-separated. */
static char errbuf[2048];

static const char *
fields(const struct field_errors *e)
{
	errbuf[0] = '\0';
	for (size_t i = 0; i < e->count; i++) {
		if (i > 0)
			strcat(errbuf, " ");
		strcat(errbuf, e->items[i].field);
	}
	return errbuf;
}

static cJSON *
decision(const char *text, bool marac, struct field_errors *e)
{
	cJSON *body = cJSON_Parse(text), *out;

	ck_assert_ptr_nonnull(body);
	field_errors_init(e);
	out = decision_normalise(body, marac, &decision_masc_areas, e);
	cJSON_Delete(body);
	return out;
}

START_TEST(test_areas_parse)
{
	struct decision_areas a;

	ck_assert(decision_areas_parse("victim, offender ,children", &a));
	ck_assert_int_eq(a.n, 3);
	ck_assert_str_eq(a.name[1], "offender");
	ck_assert(decision_areas_has(&a, "children"));
	ck_assert(!decision_areas_has(&a, "location"));
	ck_assert(decision_areas_parse("safety_plan", &a));
	ck_assert(!decision_areas_parse("", &a));
	ck_assert(!decision_areas_parse("victim,,offender", &a));
	ck_assert(!decision_areas_parse("victim, victim", &a));
	ck_assert(!decision_areas_parse("Victim", &a));
	ck_assert(!decision_areas_parse("victim,", &a));
	ck_assert(!decision_areas_parse("a,b,c,d,e,f,g,h,i,j,k,l,m", &a));
	ck_assert(decision_areas_parse("a,b,c,d,e,f,g,h,i,j,k,l", &a));
	ck_assert_int_eq(decision_masc_areas.n, 5);
}
END_TEST

START_TEST(test_decision_ok)
{
	struct field_errors e;
	cJSON *d = decision("{\"attendees\":[\"police\",\"probation\"],"
	    "\"areas\":{\"victim\":\"IDVA to contact\",\"offender\":\"arrest\"},"
	    "\"outcome\":\"Actions agreed\",\"drive_increases_risk\":false}", true, &e);
	char *s;

	ck_assert_ptr_nonnull(d);
	s = cJSON_PrintUnformatted(d);
	ck_assert_str_eq(s, "{\"attendees\":[\"police\",\"probation\"],"
	    "\"areas\":{\"victim\":\"IDVA to contact\",\"offender\":\"arrest\"},"
	    "\"outcome\":\"Actions agreed\",\"amendment_reason\":null,"
	    "\"drive_increases_risk\":false,\"reviews\":[],\"masc_outcomes\":null}");
	free(s);
	cJSON_Delete(d);
}
END_TEST

START_TEST(test_decision_masc_outcomes)
{
	struct field_errors e;
	cJSON *d = decision("{\"masc_outcomes\":{\"spo\":[\"interim_granted\","
	    "\"considered\",\"applied_for\"],\"onward_referrals\":[\"mappa\"]}}",
	    false, &e);
	char *s;

	/* In the order of the stages, whatever the order sent. */
	ck_assert_ptr_nonnull(d);
	s = cJSON_PrintUnformatted(cJSON_GetObjectItem(d, "masc_outcomes"));
	ck_assert_str_eq(s, "{\"spo\":[\"considered\",\"applied_for\","
	    "\"interim_granted\"],\"onward_referrals\":[\"mappa\"]}");
	free(s);
	cJSON_Delete(d);
	/* Either list may be left out: recorded, with nothing in it. */
	d = decision("{\"masc_outcomes\":{}}", false, &e);
	s = cJSON_PrintUnformatted(cJSON_GetObjectItem(d, "masc_outcomes"));
	ck_assert_str_eq(s, "{\"spo\":[],\"onward_referrals\":[]}");
	free(s);
	cJSON_Delete(d);
	/* A MARAC decision records none; unknown values, twice, wrong shapes. */
	ck_assert_ptr_null(decision("{\"masc_outcomes\":{\"spo\":[]}}", true, &e));
	ck_assert_str_eq(fields(&e), "masc_outcomes");
	ck_assert_ptr_null(decision("{\"masc_outcomes\":{\"spo\":[\"granted\","
	    "\"breached\",\"breached\"],\"onward_referrals\":\"mappa\","
	    "\"drive\":[]}}", false, &e));
	ck_assert_str_eq(fields(&e), "masc_outcomes.drive masc_outcomes.spo[0] "
	    "masc_outcomes.spo[2] masc_outcomes.onward_referrals");
	ck_assert_ptr_null(decision("{\"masc_outcomes\":[\"mappa\"]}", false, &e));
	ck_assert_str_eq(fields(&e), "masc_outcomes");
}
END_TEST

START_TEST(test_decision_errors)
{
	struct field_errors e;

	ck_assert_ptr_null(decision("{\"areas\":{\"garden\":\"x\"}}", false, &e));
	ck_assert_str_eq(fields(&e), "areas.garden");
	ck_assert_ptr_null(decision("{\"drive_increases_risk\":true}", false, &e));
	ck_assert_str_eq(fields(&e), "drive_increases_risk");
	ck_assert_ptr_null(decision("{\"attendees\":[\"police\",\"police\",\"Bad Code\",3]}",
	    true, &e));
	ck_assert_str_eq(fields(&e), "attendees[1] attendees[2] attendees[3]");
	ck_assert_ptr_null(decision("{\"outcome\":\"\",\"colour\":1}", true, &e));
	ck_assert_str_eq(fields(&e), "colour outcome");
	ck_assert_ptr_null(decision("[]", true, &e));
	ck_assert_str_eq(fields(&e), "$");
	ck_assert_ptr_null(decision("{\"areas\":{\"victim\":\"\\u0007\"}}", true, &e));
	ck_assert_str_eq(fields(&e), "areas.victim");
}
END_TEST

START_TEST(test_decision_reviews)
{
	struct field_errors e;
	cJSON *d;

	/* A missed action needs its reason; a completed one does not. */
	ck_assert_ptr_null(decision("{\"reviews\":[{\"action\":4,\"result\":\"completed\"},"
	    "{\"action\":5,\"result\":\"not_undertaken\"},"
	    "{\"action\":6,\"result\":\"change_in_circumstance\"},"
	    "{\"action\":0,\"result\":\"forgotten\"}]}", true, &e));
	ck_assert_str_eq(fields(&e), "reviews[1].note reviews[2].note "
	    "reviews[3].action reviews[3].result");
	d = decision("{\"reviews\":[{\"action\":5,\"result\":\"not_undertaken\","
	    "\"note\":\"no contact made\"}]}", true, &e);
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "reviews"), 0)
	    ->child->next->valuestring, "not_undertaken");
	cJSON_Delete(d);
}
END_TEST

START_TEST(test_action_rules)
{
	date_t today = D("2026-12-07");

	ck_assert(action_outstanding(ACTION_OPEN));
	ck_assert(action_outstanding(ACTION_IN_PROGRESS));
	ck_assert(!action_outstanding(ACTION_COMPLETED));
	ck_assert(!action_outstanding(ACTION_NO_LONGER_RELEVANT));
	/* Due today is not overdue; due yesterday is. */
	ck_assert(!action_overdue(ACTION_OPEN, today, today));
	ck_assert(action_overdue(ACTION_OPEN, today - 1, today));
	ck_assert(action_overdue(ACTION_IN_PROGRESS, today - 30, today));
	ck_assert(!action_overdue(ACTION_COMPLETED, today - 30, today));
	ck_assert(action_needs_note(ACTION_COMPLETED));
	ck_assert(action_needs_note(ACTION_NO_LONGER_RELEVANT));
	ck_assert(!action_needs_note(ACTION_IN_PROGRESS));
	ck_assert_str_eq(action_statuses[ACTION_NO_LONGER_RELEVANT], "no_longer_relevant");
}
END_TEST

START_TEST(test_action_rag)
{
	date_t today = D("2026-12-07");
	cJSON *a;

	/* Overdue red; due within 7 days (today and the 7th day too) amber. */
	ck_assert_int_eq(action_rag(ACTION_OPEN, today - 1, today), ACTION_RAG_RED);
	ck_assert_int_eq(action_rag(ACTION_IN_PROGRESS, today, today), ACTION_RAG_AMBER);
	ck_assert_int_eq(action_rag(ACTION_OPEN, today + 7, today), ACTION_RAG_AMBER);
	ck_assert_int_eq(action_rag(ACTION_OPEN, today + 8, today), ACTION_RAG_GREEN);
	/* A closed action has none, however late. */
	ck_assert_int_eq(action_rag(ACTION_COMPLETED, today - 30, today), ACTION_RAG_NONE);
	ck_assert_int_eq(action_rag(ACTION_NO_LONGER_RELEVANT, today + 1, today),
	    ACTION_RAG_NONE);
	ck_assert_str_eq(action_rag_name(ACTION_RAG_RED), "red");
	ck_assert_str_eq(action_rag_name(ACTION_RAG_AMBER), "amber");
	ck_assert_str_eq(action_rag_name(ACTION_RAG_GREEN), "green");
	ck_assert_ptr_null(action_rag_name(ACTION_RAG_NONE));

	a = cJSON_Parse("{\"status\": \"open\", \"due\": \"2026-12-06\"}");
	action_json_add_rag(a, today);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(a, "rag")), "red");
	/* Again, a day earlier: replaced, not added twice. */
	action_json_add_rag(a, today - 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(a, "rag")), "amber");
	ck_assert_int_eq(cJSON_GetArraySize(a), 3);
	cJSON_Delete(a);
	a = cJSON_Parse("{\"status\": \"completed\", \"due\": \"2026-12-06\"}");
	action_json_add_rag(a, today);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(a, "rag")));
	cJSON_Delete(a);
	/* Not an action: left alone. */
	a = cJSON_Parse("{\"status\": \"late\", \"due\": \"2026-12-06\"}");
	action_json_add_rag(a, today);
	ck_assert_ptr_null(cJSON_GetObjectItem(a, "rag"));
	cJSON_Delete(a);
}
END_TEST

static cJSON *
create(const char *text, struct field_errors *e)
{
	cJSON *body = cJSON_Parse(text), *out;

	field_errors_init(e);
	out = action_create_normalise(body, &decision_masc_areas, D("2026-12-07"), e);
	cJSON_Delete(body);
	return out;
}

START_TEST(test_action_create)
{
	struct field_errors e;
	cJSON *a = create("{\"agency\":\"police\",\"area\":\"offender\","
	    "\"description\":\"Serve the notice\",\"due\":\"2026-12-21\"}", &e);
	char *s;

	ck_assert_ptr_nonnull(a);
	s = cJSON_PrintUnformatted(a);
	ck_assert_str_eq(s, "{\"agency\":\"police\",\"area\":\"offender\","
	    "\"description\":\"Serve the notice\",\"due\":\"2026-12-21\",\"sitting\":null}");
	free(s);
	cJSON_Delete(a);
	a = create("{\"agency\":\"police\",\"area\":\"offender\",\"description\":\"x\"}", &e);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(a, "due")));
	cJSON_Delete(a);
	/* Today is fine; yesterday is not. */
	a = create("{\"agency\":\"police\",\"area\":\"victim\",\"description\":\"x\","
	    "\"due\":\"2026-12-07\"}", &e);
	ck_assert_ptr_nonnull(a);
	cJSON_Delete(a);
	ck_assert_ptr_null(create("{\"agency\":\"police\",\"area\":\"victim\","
	    "\"description\":\"x\",\"due\":\"2026-12-06\"}", &e));
	ck_assert_str_eq(fields(&e), "due");
	ck_assert_ptr_null(create("{\"agency\":\"Police!\",\"area\":\"garden\","
	    "\"due\":\"2026-02-30\"}", &e));
	ck_assert_str_eq(fields(&e), "agency area description due");
}
END_TEST

static cJSON *
update(const char *text, bool agency, bool *forbidden, struct field_errors *e)
{
	cJSON *body = cJSON_Parse(text), *out;

	field_errors_init(e);
	out = action_update_normalise(body, agency, D("2026-12-07"), forbidden, e);
	cJSON_Delete(body);
	return out;
}

START_TEST(test_action_update)
{
	struct field_errors e;
	bool forbidden;
	cJSON *a;

	a = update("{\"status\":\"in_progress\"}", true, &forbidden, &e);
	ck_assert_ptr_nonnull(a);
	ck_assert_str_eq(cJSON_GetObjectItem(a, "status")->valuestring, "in_progress");
	cJSON_Delete(a);
	/* Closing needs a note. */
	ck_assert_ptr_null(update("{\"status\":\"completed\"}", true, &forbidden, &e));
	ck_assert_str_eq(fields(&e), "note");
	ck_assert_ptr_null(update("{\"status\":\"no_longer_relevant\",\"note\":\" \"}",
	    true, &forbidden, &e));
	ck_assert_str_eq(fields(&e), "note note");
	a = update("{\"status\":\"completed\",\"note\":\"Notice served\"}", true,
	    &forbidden, &e);
	ck_assert_ptr_nonnull(a);
	cJSON_Delete(a);
	/* An agency may not move the due date or rewrite the action. */
	ck_assert_ptr_null(update("{\"due\":\"2027-01-04\"}", true, &forbidden, &e));
	ck_assert(forbidden);
	a = update("{\"due\":\"2027-01-04\"}", false, &forbidden, &e);
	ck_assert(!forbidden);
	ck_assert_ptr_nonnull(a);
	cJSON_Delete(a);
	/* A note alone is an update; nothing at all is not. */
	a = update("{\"note\":\"Chased twice\"}", true, &forbidden, &e);
	ck_assert_ptr_nonnull(a);
	cJSON_Delete(a);
	ck_assert_ptr_null(update("{}", true, &forbidden, &e));
	ck_assert_str_eq(fields(&e), "$");
	ck_assert_ptr_null(update("{\"status\":\"done\"}", false, &forbidden, &e));
	ck_assert_str_eq(fields(&e), "status");
}
END_TEST

START_TEST(test_minutes)
{
	struct field_errors e;
	cJSON *body = cJSON_Parse("{\"venue\":\"Teams\",\"chair\":\"DI Chair\","
	    "\"attendees\":[{\"agency\":\"police\",\"name\":\"DS A\"}],"
	    "\"observers\":[{\"name\":\"Student\",\"confidentiality_signed\":true}],"
	    "\"apologies\":[{\"agency\":\"housing\",\"information_sent\":false}]}");
	cJSON *m;

	field_errors_init(&e);
	m = minutes_normalise(body, &e);
	cJSON_Delete(body);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(cJSON_GetObjectItem(m, "confidentiality_statement")->valuestring,
	    minutes_default_statement);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(m, "apologies"), 0), "information_sent")));
	cJSON_Delete(m);

	body = cJSON_Parse("{\"observers\":[{\"name\":\"Student\"}],"
	    "\"apologies\":[{\"agency\":\"Housing\",\"information_sent\":\"yes\"}],"
	    "\"attendees\":[7]}");
	field_errors_init(&e);
	ck_assert_ptr_null(minutes_normalise(body, &e));
	cJSON_Delete(body);
	ck_assert_str_eq(fields(&e), "attendees[0] observers[0].confidentiality_signed "
	    "apologies[0].agency apologies[0].information_sent");
}
END_TEST

static Suite *
decision_suite(void)
{
	Suite	*s = suite_create("decision");
	TCase	*tc = tcase_create("core");

	tcase_add_test(tc, test_areas_parse);
	tcase_add_test(tc, test_decision_ok);
	tcase_add_test(tc, test_decision_masc_outcomes);
	tcase_add_test(tc, test_decision_errors);
	tcase_add_test(tc, test_decision_reviews);
	tcase_add_test(tc, test_action_rules);
	tcase_add_test(tc, test_action_rag);
	tcase_add_test(tc, test_action_create);
	tcase_add_test(tc, test_action_update);
	tcase_add_test(tc, test_minutes);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner	*sr = srunner_create(decision_suite());
	int	 failed;

	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

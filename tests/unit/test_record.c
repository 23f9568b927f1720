/*
 * The decision-record model: building it from the database's source,
 * the defined order of every array, the canonical JSON (byte-stable, so
 * the same record always has the same SHA-256, and read back to the same
 * bytes), its string escaping, and refusal of sources that are not a
 * record.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "core/buf.h"
#include "core/record.h"
#include "core/jsonread.h"
#include "shell/digest.h"

/* Test JSON is written with ' for " to keep it readable. */
static cJSON *
J(const char *text)
{
	char *s = strdup(text);
	cJSON *j;

	for (char *p = s; *p != '\0'; p++)
		if (*p == '\'')
			*p = '"';
	j = cJSON_Parse(s);
	ck_assert_msg(j != NULL, "bad JSON in test: %s", s);
	free(s);
	return j;
}

/* A sitting with two cases, listed in an order that is not the record's. */
static const char source[] =
	"{'kind':'sitting','id':7,'forum':'masc','area':'cumbria',"
	"'agencies':[{'code':'probation','name':'Probation Service'},"
	"{'code':'police','name':'Police'}],"
	"'sittings':[{'id':7,'date':'2026-12-07','status':'scheduled',"
	"'venue':'Carlisle','minutes':{'chair':'Probation','attendees':["
	"{'agency':'probation','name':'P Smith'},{'agency':'police','name':'DS Jones'}],"
	"'observers':[{'name':'O B','organisation':'Uni','confidentiality_signed':true}],"
	"'apologies':[{'agency':'housing','information_sent':false}],"
	"'confidentiality_statement':'Read out.','updated_at':'2026-12-07T10:00:00Z'},"
	"'cases':[{'referral_id':12,'reference':'MASC-2026-0012',"
	"'referring_agency':'police','risk_level':'high',"
	"'risk_bases':['visible_high_risk','escalation'],'repeat':false,"
	"'lawful_basis':['b','a'],'consent':'not_sought','decision':null,'actions':[]},"
	"{'referral_id':5,'reference':'MASC-2026-0005','referring_agency':'police',"
	"'risk_level':'medium','risk_bases':[],'repeat':true,"
	"'lawful_basis':['crime_and_disorder_act_s115'],'consent':'given',"
	"'decision':{'id':3,'attendees':['probation','police'],"
	"'areas':{'referral':'MAPPA','zeta':'z','victim':'IDVA','offender':'arrest'},"
	"'outcome':'Agreed.','drive_increases_risk':null,"
	"'lawful_basis':['crime_and_disorder_act_s115'],'version':2,"
	"'signed_off_at':'2026-12-07T11:00:00Z','versions':["
	"{'version':2,'reason':'typo','at':'2026-12-08T09:00:00Z','content':"
	"{'attendees':['police'],'areas':{},'outcome':'Agreed.','drive_increases_risk':null}},"
	"{'version':1,'reason':null,'at':'2026-12-07T11:00:00Z','content':"
	"{'attendees':['police'],'areas':{},'outcome':'Agreed','drive_increases_risk':null}}]},"
	"'actions':[{'id':9,'agency':'police','area':'offender','description':'Arrest',"
	"'due':'2026-12-21','status':'open','created_at':'2026-12-07T11:00:00Z',"
	"'history':[{'id':31,'at':'2026-12-08T00:00:00Z','role':'agency','agency':'police',"
	"'token_id':4,'field':'status','from':'open','to':'in_progress','note':null},"
	"{'id':30,'at':'2026-12-07T11:00:00Z','role':'chair','agency':null,"
	"'token_id':2,'field':'created','from':null,'to':'open','note':null}]},"
	"{'id':8,'agency':'probation','area':'victim','description':'Visit',"
	"'due':'2026-12-21','status':'completed','created_at':'2026-12-07T11:00:00Z',"
	"'history':[]}]}],"
	"'reviews':[]}]}";

/*
 * The same record, every array and object listed in another order, and
 * an agency more that the record does not name (the deployment gained
 * one): nothing of it may change the hash.
 */
static const char shuffled[] =
	"{'sittings':[{'reviews':[],'cases':["
	"{'actions':[{'history':[],'id':8,'agency':'probation','area':'victim',"
	"'description':'Visit','due':'2026-12-21','status':'completed',"
	"'created_at':'2026-12-07T11:00:00Z'},"
	"{'id':9,'agency':'police','area':'offender','description':'Arrest',"
	"'due':'2026-12-21','status':'open','created_at':'2026-12-07T11:00:00Z',"
	"'history':[{'id':30,'at':'2026-12-07T11:00:00Z','role':'chair','agency':null,"
	"'token_id':2,'field':'created','from':null,'to':'open','note':null},"
	"{'id':31,'at':'2026-12-08T00:00:00Z','role':'agency','agency':'police',"
	"'token_id':4,'field':'status','from':'open','to':'in_progress','note':null}]}],"
	"'referral_id':5,'reference':'MASC-2026-0005','referring_agency':'police',"
	"'risk_level':'medium','risk_bases':[],'repeat':true,"
	"'lawful_basis':['crime_and_disorder_act_s115'],'consent':'given',"
	"'decision':{'versions':["
	"{'version':1,'reason':null,'at':'2026-12-07T11:00:00Z','content':"
	"{'attendees':['police'],'areas':{},'outcome':'Agreed','drive_increases_risk':null}},"
	"{'version':2,'reason':'typo','at':'2026-12-08T09:00:00Z','content':"
	"{'attendees':['police'],'areas':{},'outcome':'Agreed.','drive_increases_risk':null}}],"
	"'id':3,'attendees':['police','probation'],"
	"'areas':{'offender':'arrest','victim':'IDVA','zeta':'z','referral':'MAPPA'},"
	"'outcome':'Agreed.','lawful_basis':['crime_and_disorder_act_s115'],'version':2,"
	"'signed_off_at':'2026-12-07T11:00:00Z'}},"
	"{'referral_id':12,'reference':'MASC-2026-0012',"
	"'referring_agency':'police','risk_level':'high',"
	"'risk_bases':['escalation','visible_high_risk'],'repeat':false,"
	"'lawful_basis':['a','b'],'consent':'not_sought','actions':[]}],"
	"'minutes':{'attendees':[{'agency':'police','name':'DS Jones'},"
	"{'agency':'probation','name':'P Smith'}],'chair':'Probation',"
	"'observers':[{'name':'O B','organisation':'Uni','confidentiality_signed':true}],"
	"'apologies':[{'agency':'housing','information_sent':false}],"
	"'confidentiality_statement':'Read out.','updated_at':'2026-12-07T10:00:00Z'},"
	"'id':7,'date':'2026-12-07','status':'scheduled','venue':'Carlisle'}],"
	"'agencies':[{'code':'police','name':'Police'},{'code':'idva','name':'IDVA'},"
	"{'code':'probation','name':'Probation Service'}],"
	"'area':'cumbria','forum':'masc','id':7,'kind':'sitting',"
	"'victim':{'name':'Jane Doe','dob':'1990-02-01'}}";

static void
canonical_of(const char *text, struct buf *out)
{
	struct record rec;
	cJSON *j = J(text);

	ck_assert_int_eq(record_build(j, &rec, NULL), 0);
	cJSON_Delete(j);
	buf_init(out);
	ck_assert_int_eq(record_canonical(&rec, out), 0);
	record_free(&rec);
}

static void
hash_of(const struct buf *b, char hex[65])
{
	ck_assert_int_eq(digest_sha256_hex(b->data, b->len, hex), 0);
}

START_TEST(test_build_orders_everything)
{
	struct record rec;
	cJSON *j = J(source);
	const struct record_case *c;
	const struct record_decision *d;

	ck_assert_int_eq(record_build(j, &rec, NULL), 0);
	cJSON_Delete(j);
	ck_assert_int_eq(rec.kind, RECORD_SITTING);
	ck_assert_int_eq(rec.id, 7);
	ck_assert_uint_eq(rec.nagencies, 2);
	ck_assert_str_eq(rec.agencies[0].code, "police");
	ck_assert_uint_eq(rec.nsittings, 1);
	ck_assert_uint_eq(rec.sittings[0].ncases, 2);
	c = &rec.sittings[0].cases[0];
	ck_assert_int_eq(c->referral_id, 5);		/* by referral id */
	d = c->decision;
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->content.attendees.items[0], "police");
	ck_assert_str_eq(d->content.areas[0].area, "victim");	/* domain order */
	ck_assert_str_eq(d->content.areas[1].area, "offender");
	ck_assert_str_eq(d->content.areas[2].area, "referral");
	ck_assert_str_eq(d->content.areas[3].area, "zeta");	/* others after */
	ck_assert_int_eq(d->content.drive_increases_risk, RECORD_UNSET);
	ck_assert_int_eq(d->versions[0].version, 1);
	ck_assert_ptr_null(d->versions[0].reason);
	ck_assert_str_eq(d->versions[1].reason, "typo");
	ck_assert_int_eq(c->actions[0].id, 8);
	ck_assert_int_eq(c->actions[1].history[0].id, 30);
	ck_assert_int_eq(c->actions[1].history[1].token_id, 4);
	ck_assert_ptr_null(rec.sittings[0].cases[1].decision);
	ck_assert_str_eq(rec.sittings[0].cases[1].risk_bases.items[0], "escalation");
	ck_assert_str_eq(rec.sittings[0].minutes->attendees[0].agency, "police");
	ck_assert_int_eq(rec.sittings[0].minutes->apologies[0].information_sent,
	    RECORD_NO);
	ck_assert_uint_eq(record_count_actions(&rec), 2);
	ck_assert_str_eq(record_agency_name(&rec, "probation"), "Probation Service");
	ck_assert_str_eq(record_agency_name(&rec, "housing"), "housing");
	record_free(&rec);
	record_free(&rec);	/* safe twice */
}
END_TEST

START_TEST(test_canonical_is_byte_stable)
{
	struct buf a, b, again;
	char ha[65], hb[65];

	canonical_of(source, &a);
	canonical_of(shuffled, &b);
	canonical_of(source, &again);
	ck_assert_str_eq(buf_str(&a), buf_str(&b));
	ck_assert_str_eq(buf_str(&a), buf_str(&again));
	hash_of(&a, ha);
	hash_of(&b, hb);
	ck_assert_str_eq(ha, hb);
	/* No white space outside strings, the format first, no names. */
	ck_assert_ptr_null(strstr(buf_str(&a), ": "));
	ck_assert_ptr_null(strstr(buf_str(&a), "\n"));
	ck_assert(strncmp(buf_str(&a), "{\"format\":\"" RECORD_FORMAT
	    "\",\"kind\":\"sitting\",\"id\":7,", 40) == 0);
	ck_assert_ptr_null(strstr(buf_str(&a), "Jane"));
	ck_assert_ptr_null(strstr(buf_str(&a), "1990"));
	buf_free(&a);
	buf_free(&b);
	buf_free(&again);
}
END_TEST

START_TEST(test_canonical_reads_back_to_the_same_bytes)
{
	struct buf a, b;
	struct record rec;
	cJSON *j;

	canonical_of(source, &a);
	/* With the export's extra member, as render_record_json writes it. */
	buf_init(&b);
	buf_add(&b, a.data, a.len - 1);
	buf_puts(&b, ",\"sha256\":\"00\"}");
	j = cJSON_Parse(buf_str(&b));
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(record_build(j, &rec, NULL), 0);
	cJSON_Delete(j);
	buf_reset(&b);
	ck_assert_int_eq(record_canonical(&rec, &b), 0);
	ck_assert_str_eq(buf_str(&a), buf_str(&b));
	record_free(&rec);
	buf_free(&a);
	buf_free(&b);
}
END_TEST

START_TEST(test_any_change_changes_the_hash)
{
	static const char *const edits[][2] = {
		{ "'Agreed.','drive", "'Agreed!','drive" },
		{ "'version':2,'signed", "'version':3,'signed" },
		{ "'status':'open'", "'status':'completed'" },
		{ "'due':'2026-12-21','status':'open'", "'due':'2026-12-22','status':'open'" },
		{ "'reason':'typo'", "'reason':'typo fixed'" },
		{ "'information_sent':false", "'information_sent':true" },
		{ "'name':'Police'", "'name':'Constabulary'" },
	};
	struct buf base, changed;
	char h0[65], h1[65];

	canonical_of(source, &base);
	hash_of(&base, h0);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		const char *at = strstr(source, edits[i][0]);
		char *text;

		ck_assert_msg(at != NULL, "edit %zu not found", i);
		ck_assert(asprintf(&text, "%.*s%s%s", (int)(at - source), source,
		    edits[i][1], at + strlen(edits[i][0])) > 0);
		canonical_of(text, &changed);
		hash_of(&changed, h1);
		ck_assert_msg(strcmp(h0, h1) != 0, "edit %zu kept the hash", i);
		buf_free(&changed);
		free(text);
	}
	buf_free(&base);
}
END_TEST

START_TEST(test_canonical_string_escaping)
{
	cJSON *j = J("{'kind':'referral','id':1,'forum':'masc','area':'x',"
	    "'agencies':[{'code':'a','name':'N'}],'sittings':[]}");
	struct record rec;
	struct buf b;

	/* JSON's escapes only; everything else as UTF-8 bytes. */
	cJSON_ReplaceItemInObject(j, "area", cJSON_CreateString(
	    "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x98\x80"));
	ck_assert_int_eq(record_build(j, &rec, NULL), 0);
	buf_init(&b);
	ck_assert_int_eq(record_canonical(&rec, &b), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"area\":\"q\\\"b\\\\s/\\b\\f\\n"
	    "\\r\\t\\u0001\\u001f\x7f caf\xc3\xa9 \xe6\x9d\xb1 \xf0\x9f\x98\x80\""));
	record_free(&rec);
	cJSON_Delete(j);

	/* Invalid UTF-8 (a stray byte, an overlong, a surrogate) is replaced. */
	j = J("{'kind':'referral','id':1,'forum':'masc','area':'x','sittings':[]}");
	cJSON_ReplaceItemInObject(j, "forum",
	    cJSON_CreateString("a\xff" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82"));
	ck_assert_int_eq(record_build(j, &rec, NULL), 0);
	buf_reset(&b);
	ck_assert_int_eq(record_canonical(&rec, &b), 0);
	ck_assert_ptr_nonnull(strstr(buf_str(&b), "\"forum\":\"a\xef\xbf\xbd" "b"
	    "\xef\xbf\xbd\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
	    "d\xef\xbf\xbd\xef\xbf\xbd\""));
	record_free(&rec);
	cJSON_Delete(j);
	buf_free(&b);
}
END_TEST

static const char *const bad_sources[] = {
	"[]",
	"{'kind':'agenda','id':1,'forum':'masc','area':'x'}",
	"{'kind':'sitting','forum':'masc','area':'x'}",
	"{'kind':'sitting','id':0,'forum':'masc','area':'x'}",
	"{'kind':'sitting','id':1.5,'forum':'masc','area':'x'}",
	"{'kind':'sitting','id':9007199254740992,'forum':'masc','area':'x'}",
	"{'kind':'sitting','id':1,'forum':7,'area':'x'}",
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':{}}",
	/* a sitting without its date */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'status':'scheduled'}]}",
	/* the same case twice */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'date':'2026-01-01','status':'scheduled','cases':["
	"{'referral_id':2,'reference':'R','referring_agency':'p','risk_level':'high'},"
	"{'referral_id':2,'reference':'R','referring_agency':'p','risk_level':'high'}]}]}",
	/* an area text that is not a string */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'date':'2026-01-01','status':'scheduled','cases':[{'referral_id':2,"
	"'reference':'R','referring_agency':'p','risk_level':'high','decision':{"
	"'id':1,'version':1,'areas':{'victim':3}}}]}]}",
	/* an action without a description */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'date':'2026-01-01','status':'scheduled','cases':[{'referral_id':2,"
	"'reference':'R','referring_agency':'p','risk_level':'high','actions':[{"
	"'id':1,'agency':'p','area':'victim','due':'2026-01-02','status':'open'}]}]}]}",
	/* the same action twice */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'date':'2026-01-01','status':'scheduled','cases':[{'referral_id':2,"
	"'reference':'R','referring_agency':'p','risk_level':'high','actions':["
	"{'id':1,'agency':'p','area':'victim','description':'a','due':'d','status':'open'},"
	"{'id':1,'agency':'p','area':'victim','description':'b','due':'d','status':'open'}]}]}]}",
	/* an area twice (jsonb never, crafted JSON may) */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'date':'2026-01-01','status':'scheduled','cases':[{'referral_id':2,"
	"'reference':'R','referring_agency':'p','risk_level':'high','decision':{"
	"'id':1,'version':1,'areas':{'victim':'a','victim':'b'}}}]}]}",
	/* an agency twice */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','agencies':["
	"{'code':'p','name':'A'},{'code':'p','name':'B'}]}",
	/* a minutes attendee that is not an object */
	"{'kind':'sitting','id':1,'forum':'masc','area':'x','sittings':[{'id':1,"
	"'date':'2026-01-01','status':'scheduled','minutes':{'attendees':['police']}}]}",
};

START_TEST(test_bad_sources_are_refused)
{
	struct record rec;
	const char *why = NULL;
	cJSON *j = J(bad_sources[_i]);

	ck_assert_msg(record_build(j, &rec, &why) == -1, "source %d accepted", _i);
	ck_assert_str_eq(why, JSONREAD_WRONG);
	ck_assert_uint_eq(rec.nsittings, 0);
	ck_assert_ptr_null(rec.forum);
	cJSON_Delete(j);
}
END_TEST

START_TEST(test_area_order)
{
	ck_assert_int_lt(record_area_cmp("victim", "offender"), 0);
	ck_assert_int_lt(record_area_cmp("children", "location"), 0);
	ck_assert_int_lt(record_area_cmp("referral", "aardvark"), 0);
	ck_assert_int_lt(record_area_cmp("health", "housing"), 0);
	ck_assert_int_eq(record_area_cmp("victim", "victim"), 0);
}
END_TEST

START_TEST(test_sha256_known_answers)
{
	char hex[65];

	ck_assert_int_eq(digest_sha256_hex("abc", 3, hex), 0);
	ck_assert_str_eq(hex,
	    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	ck_assert_int_eq(digest_sha256_hex("", 0, hex), 0);
	ck_assert_str_eq(hex,
	    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("model");

	tcase_add_test(tc, test_build_orders_everything);
	tcase_add_test(tc, test_canonical_is_byte_stable);
	tcase_add_test(tc, test_canonical_reads_back_to_the_same_bytes);
	tcase_add_test(tc, test_any_change_changes_the_hash);
	tcase_add_test(tc, test_canonical_string_escaping);
	tcase_add_loop_test(tc, test_bad_sources_are_refused, 0,
	    (int)(sizeof(bad_sources) / sizeof(bad_sources[0])));
	tcase_add_test(tc, test_area_order);
	tcase_add_test(tc, test_sha256_known_answers);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed == 0 ? 0 : 1;
}

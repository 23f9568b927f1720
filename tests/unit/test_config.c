/* maracd.conf parsing: defaults, values, ranges, unknown keys, reload. */
#include "shell/config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char path[64];

static void
write_conf(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/maracd-test-conf.XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
}

static void
teardown(void)
{
	if (path[0] != '\0')
		unlink(path);
	path[0] = '\0';
}

START_TEST(defaults_without_file_lines)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	write_conf("# nothing set\n");
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.listen_address, "127.0.0.1");
	ck_assert_int_eq(c.listen_port, 8080);
	ck_assert_int_eq(c.max_body_size, 1048576);
	ck_assert_str_eq(c.timezone, "Europe/London");
	ck_assert_str_eq(c.log_level, "info");
	ck_assert(!c.log_syslog);
	config_free(&c);
}
END_TEST

START_TEST(values_are_read)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	write_conf("[server]\nlisten_port = 9090\n[database]\n"
	    "dsn = host=/tmp port=5433 dbname=x\npool_size = 8\n"
	    "[log]\nlevel = debug\nsyslog = yes\n");
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.listen_port, 9090);
	ck_assert_str_eq(c.dsn, "host=/tmp port=5433 dbname=x");
	ck_assert_int_eq(c.pool_size, 8);
	ck_assert_str_eq(c.log_level, "debug");
	ck_assert(c.log_syslog);
	config_free(&c);
}
END_TEST

static const struct {
	const char *text;
	const char *needle;
} bad[] = {
	{ "[server]\nlisten_port = 0\n", "listen_port is out of range" },
	{ "[server]\nlisten_port = 80x\n", "must be a whole number" },
	{ "[server]\nlisten_prot = 80\n", "unknown setting [server] listen_prot" },
	{ "[log]\nlevel = loud\n", "must be error, warn, info or debug" },
	{ "[log]\nsyslog = maybe\n", "must be yes or no" },
	{ "[server]\ntls_cert = /x.pem\n", "tls_cert and tls_key go together" },
	{ "[database]\npool_size\n", ":2:" },
	{ "[mail]\nsmtp_tls = maybe\n", "smtp_tls must be none, try or all" },
	{ "[mail]\nsmtp_tls = try\nsmtp_user = u\nsmtp_password_file = /p\n",
	  "smtp_user (SMTP AUTH) needs smtp_tls = all or an smtps:// smtp_url" },
	{ "[mail]\nsmtp_tls = none\nsmtp_user = u\nsmtp_password_file = /p\n",
	  "smtp_user (SMTP AUTH) needs smtp_tls = all or an smtps:// smtp_url" },
	{ "[mail]\nsmtp_url = http://x\n", "smtp_url must start with smtp://" },
	{ "[mail]\nsmtp_user = m\n", "smtp_user and smtp_password_file go together" },
	{ "[mail]\nmail_from = Me <me@x.example>\n", "mail_from must be a bare address" },
	{ "[mail]\nsend_timeout = 60\nlease_seconds = 60\n", "lease_seconds must be more than send_timeout" },
	{ "[mail]\nretry_base_seconds = 10\nretry_max_seconds = 5\n", "retry_max_seconds must be at least" },
	{ "[agenda]\nfull_names = perhaps\n", "must be yes or no" },
	{ "[agenda]\nagency_order = police,,housing\n", "agency_order must be agency codes" },
	{ "[agenda]\nagency_order = Police\n", "agency_order must be agency codes" },
	{ "[agenda]\nattach = pdf\n", "attach must be none or html, csv and ics" },
	{ "[agenda]\nattach = html,none\n", "attach must be none or html, csv and ics" },
	{ "[agenda]\nlink_base = ftp://x.example\n", "link_base must be an http" },
	{ "[agenda]\nlink_base = https://x.example/?a=1\n", "link_base must be an http" },
	{ "[agenda]\nlink_base = https://x.example/\"><b>\n", "link_base must be an http" },
	{ "[referrals]\ndash_high = 29\n", "[referrals] dash_high is out of range (2..28)" },
	{ "[referrals]\ndash_high = 1\n", "[referrals] dash_high is out of range (2..28)" },
	{ "[referrals]\ndash_medium = 0\n", "[referrals] dash_medium is out of range (1..27)" },
	{ "[referrals]\ndash_medium = 14\n", "[referrals] dash_medium must be less than dash_high" },
	{ "[referrals]\ndash_high = 10\ndash_medium = 12\n", "dash_medium must be less than dash_high" },
	{ "[referrals]\nescalation_callouts = 0\n", "escalation_callouts is out of range (1..1000)" },
	{ "[referrals]\nmin_victim_age = 15\n", "min_victim_age is out of range (16..25)" },
	{ "[referrals]\nmin_victim_age = 26\n", "min_victim_age is out of range (16..25)" },
	{ "[referrals]\nrepeat_months = 0\n", "repeat_months is out of range (1..120)" },
	{ "[referrals]\nrepeat_months = twelve\n", "repeat_months must be a whole number" },
	{ "[accounts]\nargon2_opslimit = 0\n", "[accounts] argon2_opslimit is out of range (1..20)" },
	{ "[accounts]\nargon2_memlimit_kib = 4096\n", "argon2_memlimit_kib is out of range (8192..4194304)" },
	{ "[accounts]\nhash_threads = 0\n", "hash_threads is out of range (1..64)" },
	{ "[accounts]\nidle_timeout = 7200\nabsolute_lifetime = 3600\n",
	  "[accounts] absolute_lifetime must be at least idle_timeout" },
	{ "[accounts]\npublic_origin = https://maracd.example/\n", "public_origin must be http(s)://host[:port]" },
	{ "[accounts]\npublic_origin = maracd.example\n", "public_origin must be http(s)://host[:port]" },
	{ "[accounts]\npublic_origin = https://\n", "public_origin must be http(s)://host[:port]" },
	{ "[accounts]\nsignin_failures_before_lock = 0\n", "signin_failures_before_lock is out of range" },
	{ "[accounts]\nlock_minutes = 0\n", "lock_minutes is out of range (1..10080)" },
};

START_TEST(accounts_values_are_read)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	write_conf("# defaults\n");
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_int_eq(c.accounts.argon2_opslimit, 2);
	ck_assert_int_eq(c.accounts.argon2_memlimit_kib, 65536);
	ck_assert_int_eq(c.accounts.hash_threads, 2);
	ck_assert_int_eq(c.accounts.hash_queue_max, 64);
	ck_assert_int_eq(c.accounts.idle_timeout, 1800);
	ck_assert_int_eq(c.accounts.absolute_lifetime, 43200);
	ck_assert_int_eq(c.accounts.invitation_hours, 72);
	ck_assert_str_eq(c.accounts.breached_passwords, "");
	ck_assert_str_eq(c.accounts.public_origin, "");
	ck_assert_int_eq(c.accounts.signin_failures_before_lock, 10);
	ck_assert_int_eq(c.accounts.lock_minutes, 15);
	config_free(&c);
	teardown();
	write_conf("[accounts]\nargon2_opslimit = 3\nargon2_memlimit_kib = 19456\n"
	    "hash_threads = 1\nhash_queue_max = 8\nidle_timeout = 600\n"
	    "absolute_lifetime = 600\ninvitation_hours = 24\n"
	    "breached_passwords = /etc/maracd/breached.txt\n"
	    "public_origin = http://127.0.0.1:8080\n"
	    "signin_failures_before_lock = 5\nlock_minutes = 60\n");
	ck_assert_msg(config_load(path, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.accounts.argon2_opslimit, 3);
	ck_assert_int_eq(c.accounts.argon2_memlimit_kib, 19456);
	ck_assert_int_eq(c.accounts.hash_threads, 1);
	ck_assert_int_eq(c.accounts.hash_queue_max, 8);
	ck_assert_int_eq(c.accounts.idle_timeout, 600);
	ck_assert_int_eq(c.accounts.absolute_lifetime, 600);
	ck_assert_int_eq(c.accounts.invitation_hours, 24);
	ck_assert_str_eq(c.accounts.breached_passwords, "/etc/maracd/breached.txt");
	ck_assert_str_eq(c.accounts.public_origin, "http://127.0.0.1:8080");
	ck_assert_int_eq(c.accounts.signin_failures_before_lock, 5);
	ck_assert_int_eq(c.accounts.lock_minutes, 60);
	config_free(&c);
}
END_TEST

START_TEST(agenda_values_are_read)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	write_conf("# defaults\n");
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert(!c.agenda_full_names);
	ck_assert_str_eq(c.agenda_attach, "ics");
	ck_assert_str_eq(c.agenda_link_base, "");
	ck_assert_ptr_nonnull(strstr(c.agenda_agency_order, "police,"));
	config_free(&c);
	teardown();
	write_conf("[agenda]\nfull_names = yes\nagency_order = idva\n"
	    "attach = none\nlink_base = https://maracd.example.org/base\n");
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert(c.agenda_full_names);
	ck_assert_str_eq(c.agenda_agency_order, "idva");
	ck_assert_str_eq(c.agenda_attach, "none");
	ck_assert_str_eq(c.agenda_link_base, "https://maracd.example.org/base");
	config_free(&c);
	teardown();
	write_conf("[agenda]\nagency_order =\nattach = csv,ics,html\n");
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_str_eq(c.agenda_agency_order, "");
	config_free(&c);
}
END_TEST

START_TEST(bad_values_are_named)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	write_conf(bad[_i].text);
	ck_assert_int_eq(config_load(path, &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, bad[_i].needle) != NULL, "error '%s' lacks '%s'",
	    err, bad[_i].needle);
	config_free(&c);
}
END_TEST

START_TEST(missing_file_is_an_error)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	ck_assert_int_eq(config_load("/nonexistent/maracd.conf", &c, err,
	    sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));
	config_free(&c);
}
END_TEST

static int warned;
static char warned_name[64];

static void
warn(const char *section, const char *name)
{
	(void)section;
	warned++;
	snprintf(warned_name, sizeof(warned_name), "%s", name);
}

START_TEST(reload_takes_reloadable_only)
{
	struct config cur, next;
	char err[CONFIG_ERRLEN];

	config_defaults(&cur);
	write_conf("[server]\nlisten_port = 9999\nmax_body_size = 2048\n"
	    "[log]\nlevel = debug\n");
	ck_assert_int_eq(config_load(path, &next, err, sizeof(err)), 0);
	warned = 0;
	config_reload(&cur, &next, warn);
	config_free(&next);
	ck_assert_int_eq(cur.listen_port, 8080);
	ck_assert_int_eq(cur.max_body_size, 2048);
	ck_assert_str_eq(cur.log_level, "debug");
	ck_assert_int_eq(warned, 1);
	ck_assert_str_eq(warned_name, "listen_port");
	config_free(&cur);
}
END_TEST

START_TEST(sample_parses_to_defaults)
{
	struct config c;
	char err[CONFIG_ERRLEN];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/maracd-test-sample.XXXXXX");
	int fd = mkstemp(path);
	f = fdopen(fd, "w");
	config_print_sample(f);
	fclose(f);
	ck_assert_msg(config_load(path, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.listen_port, 8080);
	ck_assert_str_eq(c.dsn, "dbname=maracd");
	config_free(&c);
}
END_TEST

/* The [drive] defaults are the core's documented rubric defaults. */
START_TEST(drive_defaults_are_the_cores)
{
	struct config c;
	struct drive_rubric want;
	char a[DRIVE_RUBRIC_TEXT_MAX], b[DRIVE_RUBRIC_TEXT_MAX];

	config_defaults(&c);
	drive_rubric_defaults(&want);
	ck_assert(drive_rubric_format(&c.drive_rubric, a, sizeof(a)));
	ck_assert(drive_rubric_format(&want, b, sizeof(b)));
	ck_assert_str_eq(a, b);
	ck_assert_int_eq(c.drive_screen_workdays, 2);
	config_free(&c);
}
END_TEST

START_TEST(drive_values_are_read_and_checked)
{
	struct config c;
	char err[CONFIG_ERRLEN];

	write_conf("[drive]\nthreshold = 16\nweight_victims = 2\n"
	    "recency_days = 7, 30, 60, 90\nrubric_version = local-2\n");
	ck_assert_msg(config_load(path, &c, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(c.drive_rubric.threshold, 16);
	ck_assert_int_eq(c.drive_rubric.weight[DRIVE_VICTIMS], 2);
	ck_assert_int_eq(c.drive_rubric.recency_days[0], 7);
	ck_assert_str_eq(c.drive_rubric.version, "local-2");
	config_free(&c);
	teardown();

	write_conf("[drive]\nrecency_days = 30,20,180,365\n");
	ck_assert_int_ne(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "[drive] recency_days must be 4 ascending"));
	config_free(&c);
	teardown();

	/* Each value may be fine and the whole still unreachable. */
	write_conf("[drive]\nthreshold = 21\n");
	ck_assert_int_ne(config_load(path, &c, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "[drive] threshold is higher"));
	config_free(&c);
}
END_TEST

START_TEST(drive_rubric_reloads)
{
	struct config cur, next;
	char err[CONFIG_ERRLEN];

	config_defaults(&cur);
	write_conf("[drive]\nthreshold = 14\ngravity_injury = 2\njob_interval = 60\n");
	ck_assert_int_eq(config_load(path, &next, err, sizeof(err)), 0);
	warned = 0;
	config_reload(&cur, &next, warn);
	config_free(&next);
	ck_assert_int_eq(cur.drive_rubric.threshold, 14);
	ck_assert_int_eq(cur.drive_rubric.gravity_points[DRIVE_GRAVITY_INJURY], 2);
	ck_assert_int_eq(cur.drive_job_interval, 900);
	ck_assert_int_eq(warned, 1);
	ck_assert_str_eq(warned_name, "job_interval");
	config_free(&cur);
}
END_TEST

/* The [referrals] defaults are the core's national ones. */
START_TEST(referrals_defaults_are_the_cores)
{
	struct config c;
	struct intake_params want;

	config_defaults(&c);
	intake_params_default(&want);
	ck_assert_int_eq(c.intake.risk.dash_high_min, want.risk.dash_high_min);
	ck_assert_int_eq(c.intake.risk.dash_medium_min, want.risk.dash_medium_min);
	ck_assert_int_eq(c.intake.risk.escalation_callouts_min,
	    want.risk.escalation_callouts_min);
	ck_assert_int_eq(c.intake.routing.min_victim_age, want.routing.min_victim_age);
	ck_assert_int_eq(c.intake.routing.repeat_months, want.routing.repeat_months);
	ck_assert_int_eq(c.intake.risk.dash_high_min, 14);
	ck_assert_int_eq(c.intake.risk.dash_medium_min, 7);
	ck_assert_int_eq(c.intake.risk.escalation_callouts_min, 3);
	ck_assert_int_eq(c.intake.routing.min_victim_age, 16);
	ck_assert_int_eq(c.intake.routing.repeat_months, 12);
	config_free(&c);
}
END_TEST

START_TEST(referrals_values_are_read_and_reload)
{
	struct config cur, next;
	char err[CONFIG_ERRLEN];

	config_defaults(&cur);
	write_conf("[referrals]\ndash_high = 12\ndash_medium = 5\n"
	    "escalation_callouts = 4\nmin_victim_age = 18\nrepeat_months = 24\n");
	ck_assert_msg(config_load(path, &next, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(next.intake.risk.dash_high_min, 12);
	ck_assert_int_eq(next.intake.risk.dash_medium_min, 5);
	ck_assert_int_eq(next.intake.risk.escalation_callouts_min, 4);
	ck_assert_int_eq(next.intake.routing.min_victim_age, 18);
	ck_assert_int_eq(next.intake.routing.repeat_months, 24);
	/* All of them apply on SIGHUP, without a restart. */
	warned = 0;
	config_reload(&cur, &next, warn);
	config_free(&next);
	ck_assert_int_eq(warned, 0);
	ck_assert_int_eq(cur.intake.risk.dash_high_min, 12);
	ck_assert_int_eq(cur.intake.risk.dash_medium_min, 5);
	ck_assert_int_eq(cur.intake.risk.escalation_callouts_min, 4);
	ck_assert_int_eq(cur.intake.routing.min_victim_age, 18);
	ck_assert_int_eq(cur.intake.routing.repeat_months, 24);
	config_free(&cur);
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("load");

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, defaults_without_file_lines);
	tcase_add_test(tc, values_are_read);
	tcase_add_test(tc, agenda_values_are_read);
	tcase_add_loop_test(tc, bad_values_are_named, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, missing_file_is_an_error);
	tcase_add_test(tc, reload_takes_reloadable_only);
	tcase_add_test(tc, sample_parses_to_defaults);
	tcase_add_test(tc, drive_defaults_are_the_cores);
	tcase_add_test(tc, drive_values_are_read_and_checked);
	tcase_add_test(tc, drive_rubric_reloads);
	tcase_add_test(tc, referrals_defaults_are_the_cores);
	tcase_add_test(tc, referrals_values_are_read_and_reload);
	tcase_add_test(tc, accounts_values_are_read);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

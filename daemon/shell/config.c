/*
 * The settings table.  Parsing is Debian's libinih; what a setting means,
 * its default and its range live here and nowhere else.
 */
#include "shell/config.h"
#include "core/mailfmt.h"
#include "core/date.h"
#include "core/decision.h"
#include "core/reminders.h"
#include "shell/log.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/*
 * One path, not one that follows the build's --prefix: maracd(8), the
 * systemd unit (etc/maracd.service) and the man pages' examples
 * (job_token_file, smtp_password_file) all live in /etc/maracd, so a
 * build installed under /usr/local still finds the file they name.
 */
#define CONFIG_DEFAULT_PATH "/etc/maracd/maracd.conf"

/* Where make install puts the web assets (Makefile.am); a build not
 * installed names its own in [web] assets (tools/run-local does). */
#ifndef MARACD_ASSETS_DIR
#define MARACD_ASSETS_DIR "/usr/local/share/maracd/assets"
#endif

/*
 * SET_DRIVE: a DRIVE rubric setting, "drive_" + name in core/drive.h,
 * which checks it (ranges are there, not in min and max).
 */
enum setting_type { SET_STR, SET_INT, SET_BOOL, SET_LOGLEVEL, SET_DRIVE };

struct setting {
	const char	*section;
	const char	*name;
	enum setting_type type;
	size_t		 offset;
	const char	*defval;
	long		 min, max;
	bool		 reloadable;
	const char	*doc;
};

#define OFF(f) offsetof(struct config, f)

static const struct setting settings[] = {
	{ "server", "listen_address", SET_STR, OFF(listen_address), "127.0.0.1", 0, 0, false,
	  "Address to listen on for HTTP(S)." },
	{ "server", "listen_port", SET_INT, OFF(listen_port), "8080", 1, 65535, false,
	  "TCP port to listen on." },
	{ "server", "max_body_size", SET_INT, OFF(max_body_size), "1048576", 1024, 268435456, true,
	  "Largest request body in bytes; larger is refused with 413." },
	{ "server", "max_header_size", SET_INT, OFF(max_header_size), "16384", 1024, 1048576, true,
	  "Largest request header block in bytes." },
	{ "server", "request_timeout", SET_INT, OFF(request_timeout), "30", 1, 3600, true,
	  "Seconds a client may take to send a request or read a reply." },
	{ "server", "shutdown_timeout", SET_INT, OFF(shutdown_timeout), "10", 0, 600, true,
	  "Seconds SIGTERM waits for requests in flight before exiting." },
	{ "server", "tls_cert", SET_STR, OFF(tls_cert), "", 0, 0, false,
	  "PEM certificate chain; with tls_key, maracd serves HTTPS itself." },
	{ "server", "tls_key", SET_STR, OFF(tls_key), "", 0, 0, false,
	  "PEM private key for tls_cert." },
	{ "server", "max_connections", SET_INT, OFF(max_connections), "512", 1, 100000, true,
	  "Client connections held at once; beyond it new ones wait in the kernel's backlog." },
	{ "server", "max_connection_age", SET_INT, OFF(max_connection_age), "300", 5, 86400, true,
	  "Seconds after which a client connection is closed: after its next answer, or request_timeout later." },
	{ "server", "rate_limit", SET_INT, OFF(rate_limit), "600", 0, 1000000, true,
	  "Requests per minute one token may make (per maracd process); 0 turns it off." },
	{ "server", "auth_failures_per_minute", SET_INT, OFF(auth_failures_per_minute), "30", 0, 1000000, true,
	  "Failed token checks one client address may cause per minute (burst as many); past it, 429 without a database round trip. 0 turns it off." },
	{ "server", "max_connections_per_address", SET_INT, OFF(max_connections_per_address), "64", 0, 100000, true,
	  "Connections one client address may hold; more are closed at once. 0: no limit (behind a proxy, which is every client's address)." },
	{ "database", "dsn", SET_STR, OFF(dsn), "dbname=maracd", 0, 0, false,
	  "libpq connection string of the application role (owns nothing, no BYPASSRLS)." },
	{ "database", "job_token_file", SET_STR, OFF(job_token_file), "", 0, 0, false,
	  "File (mode 600) whose first line is the token maracd's jobs authenticate with (maracctl token create --role job)." },
	{ "database", "pool_size", SET_INT, OFF(pool_size), "4", 1, 64, false,
	  "Connections maracd keeps open to PostgreSQL." },
	{ "database", "queue_max", SET_INT, OFF(queue_max), "1024", 1, 1000000, true,
	  "Requests that may wait for a free connection; beyond it, 503." },
	{ "database", "reconnect_max_delay_ms", SET_INT, OFF(reconnect_max_delay_ms), "2000", 100, 60000, true,
	  "Longest pause between reconnection attempts (the pause doubles up to it)." },
	{ "database", "statement_timeout_ms", SET_INT, OFF(statement_timeout_ms), "10000", 0, 3600000, false,
	  "PostgreSQL statement_timeout for maracd's connections; 0 disables it." },
	{ "log", "level", SET_LOGLEVEL, OFF(log_level), "info", 0, 0, true,
	  "error, warn, info or debug." },
	{ "log", "syslog", SET_BOOL, OFF(log_syslog), "no", 0, 0, false,
	  "Log to syslog (facility daemon) instead of stderr." },
	{ "calendar", "timezone", SET_STR, OFF(timezone), "Europe/London", 0, 0, false,
	  "IANA time zone in which sitting dates, cutoffs and due dates are local dates." },
	{ "calendar", "area", SET_STR, OFF(area), "cumbria", 0, 0, false,
	  "Area code of referrals that do not name one (each area has its own sittings)." },
	{ "calendar", "horizon_weeks", SET_INT, OFF(horizon_weeks), "26", 1, 104, true,
	  "Weeks ahead for which sittings are generated." },
	{ "calendar", "sittings_job_interval", SET_INT, OFF(sittings_job_interval), "3600", 1, 86400, false,
	  "Seconds between runs of the job that generates sittings (it also runs at start-up)." },
	{ "calendar", "cutoff_time", SET_STR, OFF(cutoff_time), "23:59:59", 0, 0, false,
	  "Local time (HH:MM:SS) on a cutoff day up to which a referral is in time for the sitting." },
	{ "calendar", "holiday_policy", SET_STR, OFF(holiday_policy), "move", 0, 0, false,
	  "move: a sitting that falls on a non-working day moves to the next working day; skip: it is not held." },
	{ "calendar", "masc_anchor", SET_STR, OFF(masc_anchor), "2025-06-16", 0, 0, false,
	  "Date (YYYY-MM-DD) of the first MASC sitting; the series repeats from it." },
	{ "calendar", "masc_interval_days", SET_INT, OFF(masc_interval_days), "14", 1, 366, false,
	  "Days between MASC sittings." },
	{ "calendar", "masc_cutoff_workdays", SET_INT, OFF(masc_cutoff_workdays), "3", 0, 60, false,
	  "Working days before a MASC sitting on which referrals to it close." },
	{ "calendar", "marac_anchor", SET_STR, OFF(marac_anchor), "2025-06-19", 0, 0, false,
	  "Date (YYYY-MM-DD) of the first MARAC sitting; its weekday is the MARAC's. Empty: no MARAC sittings are generated." },
	{ "calendar", "marac_interval_days", SET_INT, OFF(marac_interval_days), "7", 1, 366, false,
	  "Days between MARAC sittings." },
	{ "calendar", "marac_cutoff_workdays", SET_INT, OFF(marac_cutoff_workdays), "2", 0, 60, false,
	  "Working days before a MARAC sitting on which referrals to it close." },
	{ "decisions", "marac_areas", SET_STR, OFF(marac_areas), "victim, offender, children, location, referral", 0, 0, true,
	  "MARAC's assessment areas, comma-separated codes, in the order records print them (MASC's are fixed)." },
	{ "decisions", "drive_team_address", SET_STR, OFF(drive_team_address), "", 0, 0, true,
	  "Where a chair's yes to 'will enforcement or DRIVE increase the risk?' is mailed; empty: nobody." },
	{ "mail", "smtp_url", SET_STR, OFF(smtp_url), "smtp://127.0.0.1:25", 0, 0, false,
	  "SMTP server to hand mail to: smtp://host:port (STARTTLS per smtp_tls) or smtps://host:port (TLS from the start)." },
	{ "mail", "smtp_tls", SET_STR, OFF(smtp_tls), "all", 0, 0, false,
	  "STARTTLS on smtp:// URLs: all (required), try (if offered) or none (a relay on loopback)." },
	{ "mail", "smtp_user", SET_STR, OFF(smtp_user), "", 0, 0, false,
	  "SMTP AUTH user name; empty: no authentication." },
	{ "mail", "smtp_password_file", SET_STR, OFF(smtp_password_file), "", 0, 0, false,
	  "File whose first line is the SMTP password (never put it in this file); needed with smtp_user." },
	{ "mail", "smtp_ca_file", SET_STR, OFF(smtp_ca_file), "", 0, 0, false,
	  "PEM file of the CA certificates that may sign the SMTP server's (a relay with a private CA); empty: the system's." },
	{ "mail", "mail_from", SET_STR, OFF(mail_from), "maracd@localhost", 0, 0, false,
	  "Sender address, for MAIL FROM and the From header." },
	{ "mail", "mail_domain", SET_STR, OFF(mail_domain), "", 0, 0, false,
	  "Domain of the Message-IDs maracd makes; empty: the domain of mail_from." },
	{ "mail", "concurrency", SET_INT, OFF(mail_concurrency), "4", 1, 64, false,
	  "Messages one maracd process hands to the SMTP server at once." },
	{ "mail", "send_timeout", SET_INT, OFF(mail_send_timeout), "60", 1, 600, false,
	  "Seconds one message may take, connection included; beyond it the attempt failed." },
	{ "mail", "lease_seconds", SET_INT, OFF(mail_lease_seconds), "300", 2, 86400, true,
	  "Seconds a claimed message stays with the process that claimed it; then another may send it again. More than send_timeout." },
	{ "mail", "retry_base_seconds", SET_INT, OFF(mail_retry_base), "60", 1, 86400, true,
	  "Pause after a first failed attempt; it doubles with each further failure (with jitter)." },
	{ "mail", "retry_max_seconds", SET_INT, OFF(mail_retry_max), "3600", 1, 604800, true,
	  "Longest pause between attempts; at least retry_base_seconds." },
	{ "mail", "max_attempts", SET_INT, OFF(mail_max_attempts), "10", 1, 100, true,
	  "Attempts after which a message that still fails is marked failed." },
	{ "mail", "personal_data", SET_BOOL, OFF(mail_personal_data), "no", 0, 0, true,
	  "yes: messages may name victims and perpetrators; no: case references, actions and dates only." },
	{ "drive", "screen_workdays", SET_INT, OFF(drive_screen_workdays), "2", 0, 20, true,
	  "Working days before a MARAC sitting on which its perpetrators are first screened for DRIVE; re-screened until the sitting when its cases or history change." },
	{ "drive", "job_interval", SET_INT, OFF(drive_job_interval), "900", 1, 86400, false,
	  "Seconds between runs of the DRIVE screening job (it also runs at start-up)." },
	{ "drive", "rubric_version", SET_DRIVE, 0, "maracd-rfgv-1", 0, 0, true,
	  "Name of the rubric, stored with every screening: change it whenever another [drive] rubric setting changes." },
	{ "drive", "threshold", SET_DRIVE, 0, "12", 0, 0, true,
	  "Score at or above which an eligible perpetrator is a DRIVE candidate; no higher than the rubric's highest score." },
	{ "drive", "min_age", SET_DRIVE, 0, "18", 0, 0, true,
	  "Age the perpetrator must have reached on the sitting date." },
	{ "drive", "window_months", SET_DRIVE, 0, "36", 0, 0, true,
	  "Months before the sitting whose DA referrals count for frequency, gravity and victims." },
	{ "drive", "weight_recency", SET_DRIVE, 0, "1", 0, 0, true,
	  "Weight of the recency component in the score." },
	{ "drive", "weight_frequency", SET_DRIVE, 0, "1", 0, 0, true,
	  "Weight of the frequency component." },
	{ "drive", "weight_gravity", SET_DRIVE, 0, "1", 0, 0, true,
	  "Weight of the gravity component." },
	{ "drive", "weight_victims", SET_DRIVE, 0, "1", 0, 0, true,
	  "Weight of the victims component." },
	{ "drive", "recency_days", SET_DRIVE, 0, "30,90,180,365", 0, 0, true,
	  "Four ascending day limits (inclusive) of the recency bands, days from the latest DA referral to the sitting." },
	{ "drive", "recency_points", SET_DRIVE, 0, "5,4,3,2,1", 0, 0, true,
	  "Points of the five recency bands, the last for older than every limit." },
	{ "drive", "frequency_from", SET_DRIVE, 0, "1,2,3,5,7", 0, 0, true,
	  "Five ascending band starts: DA referrals in the window." },
	{ "drive", "frequency_points", SET_DRIVE, 0, "1,2,3,4,5", 0, 0, true,
	  "Points of the five frequency bands." },
	{ "drive", "victims_from", SET_DRIVE, 0, "1,2,3", 0, 0, true,
	  "Three ascending band starts: distinct victims in the window." },
	{ "drive", "victims_points", SET_DRIVE, 0, "1,3,5", 0, 0, true,
	  "Points of the three victims bands (the last: serial)." },
	{ "drive", "gravity_strangulation", SET_DRIVE, 0, "5", 0, 0, true,
	  "Gravity points of a yes to strangulation or choking." },
	{ "drive", "gravity_weapons", SET_DRIVE, 0, "4", 0, 0, true,
	  "Gravity points of a yes to use of weapons." },
	{ "drive", "gravity_threat_to_kill", SET_DRIVE, 0, "4", 0, 0, true,
	  "Gravity points of a yes to threats to kill." },
	{ "drive", "gravity_sexual", SET_DRIVE, 0, "4", 0, 0, true,
	  "Gravity points of a yes to sexual abuse." },
	{ "drive", "gravity_injury", SET_DRIVE, 0, "3", 0, 0, true,
	  "Gravity points of a yes to injury." },
	{ "drive", "gravity_other", SET_DRIVE, 0, "1", 0, 0, true,
	  "Gravity points when DA referrals in the window have none of the above answered yes." },
	{ "mail", "base_url", SET_STR, OFF(mail_base_url), "", 0, 0, true,
	  "Address at which agencies reach maracd (https://maracd.example); reminders link to their actions under it. Empty: no links." },
	{ "reminders", "digest", SET_BOOL, OFF(reminders_digest), "yes", 0, 0, true,
	  "Mail each agency with a reminder address a weekly digest of its outstanding actions (none if it has none)." },
	{ "reminders", "digest_day", SET_STR, OFF(reminders_digest_day), "monday", 0, 0, true,
	  "Local weekday (monday..sunday) from which the week's digests and summary are sent." },
	{ "reminders", "digest_time", SET_STR, OFF(reminders_digest_time), "08:00:00", 0, 0, true,
	  "Local time (HH:MM:SS) on digest_day from which they are sent; a maracd down then sends them when it comes back, in the same week." },
	{ "reminders", "overdue", SET_BOOL, OFF(reminders_overdue), "yes", 0, 0, true,
	  "Mail an agency once when one of its outstanding actions passes its due date (again if the due date is moved and passes again)." },
	{ "reminders", "summary", SET_BOOL, OFF(reminders_summary), "yes", 0, 0, true,
	  "Mail coordinator_email a weekly summary: outstanding and overdue actions per agency, persistent non-completion, messages given up on." },
	{ "reminders", "coordinator_email", SET_STR, OFF(reminders_coordinator_email), "", 0, 0, true,
	  "Address(es) of the coordinator, separated by commas: the weekly summary and notices of referrals waiting for a sitting; empty: neither." },
	{ "reminders", "check_interval", SET_INT, OFF(reminders_interval), "300", 1, 86400, false,
	  "Seconds between runs of the reminders job (it also runs at start-up); an overdue notice goes at most this long after midnight." },
	{ "reminders", "persistent_overdue_days", SET_INT, OFF(reminders_persistent_days), "28", 1, 3650, true,
	  "An outstanding action this many days overdue, or found not undertaken at a review, counts as persistent non-completion in the summary." },
	{ "reminders", "research_workdays", SET_INT, OFF(reminders_research_workdays), "1", 0, 20, true,
	  "Working days before a sitting's information deadline on which each invited agency still owing research returns gets its one reminder (0: on the deadline day)." },
	{ "agenda", "full_names", SET_BOOL, OFF(agenda_full_names), "no", 0, 0, true,
	  "yes: agendas show victims' and perpetrators' names and the victim's date of birth; no: initials and age only." },
	{ "agenda", "agency_order", SET_STR, OFF(agenda_agency_order),
	  "police,probation,victim_support,idva,health_icb,childrens_social_care,adult_social_care,housing", 0, 0, true,
	  "Agency codes, comma-separated, in the order their cases are heard; other agencies follow, by code." },
	{ "agenda", "attach", SET_STR, OFF(agenda_attach), "ics", 0, 0, true,
	  "What the circulation mail attaches: a comma-separated list of html, csv and ics, or none. With full_names, html and csv are attached only if [mail] personal_data is yes." },
	{ "agenda", "link_base", SET_STR, OFF(agenda_link_base), "", 0, 0, true,
	  "Public base URL of maracd (https://maracd.example.org); the circulation mail links to the agenda under it. Empty: [mail] base_url; both empty: no link." },
	{ "referrals", "dash_high", SET_INT, OFF(intake.risk.dash_high_min), "14", 2, 28, true,
	  "DASH yes answers from which risk is high (visible high risk); more than dash_medium. safelives-ric has 24 questions." },
	{ "referrals", "dash_medium", SET_INT, OFF(intake.risk.dash_medium_min), "7", 1, 27, true,
	  "DASH yes answers from which risk is at least medium; less than dash_high." },
	{ "referrals", "escalation_callouts", SET_INT, OFF(intake.risk.escalation_callouts_min), "3", 1, 1000, true,
	  "Police call-outs for domestic abuse in the last 12 months from which risk is high (potential escalation)." },
	{ "referrals", "min_victim_age", SET_INT, OFF(intake.routing.min_victim_age), "16", 16, 25, true,
	  "Age the victim must have reached on the received date; younger is refused (child safeguarding). Not below the Act's 16." },
	{ "referrals", "repeat_months", SET_INT, OFF(intake.routing.repeat_months), "12", 1, 120, true,
	  "Months: a DA referral is a repeat (MARAC whatever its risk) if the victim was referred to MARAC since the same day this many months before." },
	{ "referrals", "checklist_wording", SET_STR, OFF(checklist_wording), "", 0, 0, true,
	  "JSON file with the wording of the DASH and S-DASH questions (maracd.conf(5)); the forms are licensed, so maracd has only its labels (\"Question 7\"). Empty: those labels." },
	{ "accounts", "argon2_opslimit", SET_INT, OFF(accounts.argon2_opslimit), "2", 1, 20, false,
	  "Argon2id passes over memory per password hash (libsodium opslimit); 2 is libsodium's INTERACTIVE. Stored hashes keep their own cost, so a change applies to new passwords." },
	{ "accounts", "argon2_memlimit_kib", SET_INT, OFF(accounts.argon2_memlimit_kib), "65536", 8192, 4194304, false,
	  "Argon2id memory per hash in KiB (64 MiB is libsodium's INTERACTIVE); each hash thread holds this much while it hashes." },
	{ "accounts", "hash_threads", SET_INT, OFF(accounts.hash_threads), "2", 1, 64, false,
	  "Threads that hash and check passwords, off the event loop; at most the machine's cores." },
	{ "accounts", "hash_queue_max", SET_INT, OFF(accounts.hash_queue_max), "64", 1, 100000, false,
	  "Password hashes that may wait for a thread; beyond it a sign-in is answered 503 at once." },
	{ "accounts", "idle_timeout", SET_INT, OFF(accounts.idle_timeout), "1800", 60, 86400, true,
	  "Seconds without a request after which a browser session ends." },
	{ "accounts", "absolute_lifetime", SET_INT, OFF(accounts.absolute_lifetime), "43200", 300, 604800, true,
	  "Seconds after sign-in at which a browser session ends, however busy; at least idle_timeout." },
	{ "accounts", "invitation_hours", SET_INT, OFF(accounts.invitation_hours), "72", 1, 720, true,
	  "Hours an invitation or password-reset link stays usable (once)." },
	{ "accounts", "breached_passwords", SET_STR, OFF(accounts.breached_passwords), "", 0, 0, false,
	  "File of passwords nobody may choose: one per line, as text or as the uppercase SHA-1 hex of a Pwned Passwords dump (\":count\" ignored). Empty: no list." },
	{ "accounts", "public_origin", SET_STR, OFF(accounts.public_origin), "", 0, 0, true,
	  "Origin people reach maracd at (https://maracd.example, no path): links in mail start with it; browser changes must carry it as Origin. Empty: none allowed." },
	{ "accounts", "signin_failures_before_lock", SET_INT, OFF(accounts.signin_failures_before_lock), "10", 1, 1000, true,
	  "Failed sign-ins in a row after which an account (or a client address) is locked for lock_minutes; the pause between earlier failures doubles." },
	{ "accounts", "lock_minutes", SET_INT, OFF(accounts.lock_minutes), "15", 1, 10080, true,
	  "Minutes a locked account or address stays locked." },
	{ "statistics", "population", SET_STR, OFF(statistics.population), "", 0, 0, true,
	  "Adult women (16 and over) of each area for the SafeLives return: area:number pairs separated by commas (e.g. cumbria:230000)." },
	{ "statistics", "agency_types", SET_STR, OFF(statistics.agency_types), "", 0, 0, true,
	  "SafeLives type of agencies whose code does not say it: code:type pairs separated by commas (maracd.conf(5) lists the types)." },
	{ "statistics", "expected_cases_per_10k", SET_STR, OFF(statistics.expected[SL_EXPECT_CASES_PER_10K]), "40-", 0, 0, true,
	  "Expected cases a year per 10,000 adult women (SafeLives: 40), a quarter of it each quarter. Ranges: low-high, low-, -high or empty." },
	{ "statistics", "expected_repeat_rate", SET_STR, OFF(statistics.expected[SL_EXPECT_REPEAT_RATE]), "", 0, 0, true,
	  "Expected repeat rate, % of cases discussed (a range as above)." },
	{ "statistics", "expected_partner_share", SET_STR, OFF(statistics.expected[SL_EXPECT_PARTNER_SHARE]), "", 0, 0, true,
	  "Expected % of cases referred by partner agencies (not police)." },
	{ "statistics", "expected_minoritised", SET_STR, OFF(statistics.expected[SL_EXPECT_MINORITISED]), "", 0, 0, true,
	  "Expected % of victims who are Black, Asian or racially minoritised." },
	{ "statistics", "expected_lgbt", SET_STR, OFF(statistics.expected[SL_EXPECT_LGBT]), "", 0, 0, true,
	  "Expected % of victims who are LGBT+." },
	{ "statistics", "expected_disabled", SET_STR, OFF(statistics.expected[SL_EXPECT_DISABLED]), "", 0, 0, true,
	  "Expected % of victims who are disabled." },
	{ "statistics", "expected_male", SET_STR, OFF(statistics.expected[SL_EXPECT_MALE]), "", 0, 0, true,
	  "Expected % of victims who are male." },
	{ "statistics", "expected_aged_16_17", SET_STR, OFF(statistics.expected[SL_EXPECT_AGED_16_17]), "", 0, 0, true,
	  "Expected % of victims aged 16 or 17." },
	{ "statistics", "expected_perpetrators_under_18", SET_STR, OFF(statistics.expected[SL_EXPECT_PERPETRATORS_UNDER_18]), "", 0, 0, true,
	  "Expected % of cases whose perpetrator is under 18." },
	{ "statistics", "suppress_below", SET_INT, OFF(statistics.suppress_below), "5", 0, 100, true,
	  "Counts of people from 1 to this minus one are shown as \"fewer than N\" in exports; 0 shows every count." },
	{ "statistics", "report_recipients", SET_STR, OFF(statistics.report_recipients), "", 0, 0, true,
	  "Address(es), separated by commas, the quarterly report of [calendar] area is mailed to (HTML and PDF attached) once after each quarter ends; empty: no mail." },
	{ "statistics", "report_interval", SET_INT, OFF(statistics.report_interval), "3600", 60, 86400, false,
	  "Seconds between the report job's looks at whether the last quarter's report is to be mailed." },
	{ "web", "assets", SET_STR, OFF(web_assets), MARACD_ASSETS_DIR, 0, 0, true,
	  "Folder of the web assets (web/build: manifest.json and the files it names), loaded at start and on SIGHUP. Missing: maracd runs on, its pages unstyled, with one warning." },
	{ "web", "service_name", SET_STR, OFF(web_service_name), "maracd", 0, 0, true,
	  "Name of the service in the pages' header and titles (a MARAC's own, say); empty: maracd." },
	{ "retention", "purge", SET_BOOL, OFF(retention_purge), "yes", 0, 0, true,
	  "Run the purge job: what the settings below say is due is deleted or anonymised (maracd.conf(5), RETENTION)." },
	{ "retention", "below_threshold_months", SET_INT, OFF(retention_below_threshold_months), "12", 1, 120, true,
	  "Months after receipt after which a below-threshold referral is purged." },
	{ "retention", "below_threshold_action", SET_STR, OFF(retention_below_threshold_action), "anonymise", 0, 0, true,
	  "anonymise (names, dates of birth, addresses and free text removed; the figures stay) or delete." },
	{ "retention", "case_years", SET_INT, OFF(retention_case_years), "6", 1, 100, true,
	  "Years after the victim's last referral or hearing after which a case, its decisions, actions and sittings' records are purged." },
	{ "retention", "case_action", SET_STR, OFF(retention_case_action), "anonymise", 0, 0, true,
	  "anonymise or delete, for cases and the records of the sittings that heard them." },
	{ "retention", "outbox_days", SET_INT, OFF(retention_outbox_days), "30", 1, 3650, true,
	  "Days after a message was sent (or given up on) after which its body is removed; the row stays." },
	{ "retention", "draft_days", SET_INT, OFF(retention_draft_days), "30", 1, 365, true,
	  "Days after a referral draft was last saved after which it is deleted." },
	{ "retention", "audit_years", SET_INT, OFF(retention_audit_years), "7", 7, 100, true,
	  "Years the audit log is kept; at least case_years. maracd never removes audit rows: a DBA in maracd_audit_admin does, with sql/dba/audit_purge.sql." },
	{ "retention", "batch_size", SET_INT, OFF(retention_batch), "500", 1, 100000, true,
	  "Objects one purge transaction takes at most; the purge goes on batch by batch." },
	{ "retention", "purge_interval", SET_INT, OFF(retention_interval), "86400", 60, 604800, false,
	  "Seconds between runs of the purge job (it also runs at start-up)." },
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

struct load_ctx {
	struct config	*cfg;
	char		*err;
	size_t		 errlen;
};

static char **
str_at(struct config *cfg, const struct setting *s)
{
	return (char **)((char *)cfg + s->offset);
}

static bool
parse_bool(const char *v, bool *out)
{
	static const char *yes[] = { "yes", "true", "on", "1" };
	static const char *no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *out = true, true;
		if (strcasecmp(v, no[i]) == 0)
			return *out = false, true;
	}
	return false;
}

/* The core's key of a [drive] rubric setting. */
static const char *
drive_key(const struct setting *s, char *buf, size_t size)
{
	snprintf(buf, size, "drive_%s", s->name);
	return buf;
}

/* Sets one value; returns NULL or the reason it was refused. */
static const char *
setting_apply(struct config *cfg, const struct setting *s, const char *v)
{
	char key[64];
	char *end, **sp;
	const char *why;
	long n;
	bool b;
	enum log_level lvl;

	switch (s->type) {
	case SET_DRIVE:
		return drive_rubric_set(&cfg->drive_rubric, drive_key(s, key,
		    sizeof(key)), v, &why) == 0 ? NULL : why;
	case SET_LOGLEVEL:
		if (!log_level_parse(v, &lvl))
			return "must be error, warn, info or debug";
		/* FALLTHROUGH */
	case SET_STR:
		sp = str_at(cfg, s);
		free(*sp);
		*sp = strdup(v);
		return *sp == NULL ? "out of memory" : NULL;
	case SET_INT:
		errno = 0;
		n = strtol(v, &end, 10);
		if (errno != 0 || end == v || *end != '\0')
			return "must be a whole number";
		if (n < s->min || n > s->max)
			return "is out of range";
		*(int *)((char *)cfg + s->offset) = (int)n;
		return NULL;
	case SET_BOOL:
		if (!parse_bool(v, &b))
			return "must be yes or no";
		*(bool *)((char *)cfg + s->offset) = b;
		return NULL;
	}
	return "has an unknown type";
}

static const struct setting *
setting_find(const char *section, const char *name)
{
	for (size_t i = 0; i < NSETTINGS; i++)
		if (strcmp(settings[i].section, section) == 0 &&
		    strcmp(settings[i].name, name) == 0)
			return &settings[i];
	return NULL;
}

static int
on_setting(void *user, const char *section, const char *name,
    const char *value)
{
	struct load_ctx *ctx = user;
	const struct setting *s;
	const char *why;

	if (name == NULL)	/* a bare [section] line */
		return 1;
	if (ctx->err[0] != '\0')	/* keep the first error only */
		return 0;
	s = setting_find(section, name);
	if (s == NULL && strcmp(name, "owner_dsn") == 0) {
		/*
		 * The owner's credentials never sit in the daemon's file: a
		 * compromised maracd could read them (maracctl(1), ENVIRONMENT).
		 */
		snprintf(ctx->err, ctx->errlen, "[%s] owner_dsn does not belong in "
		    "maracd's configuration: give maracctl the schema owner's "
		    "connection in MARACCTL_OWNER_DSN", section);
		return 0;
	}
	if (s == NULL) {
		snprintf(ctx->err, ctx->errlen, "unknown setting [%s] %s",
		    section, name);
		return 0;
	}
	if ((why = setting_apply(ctx->cfg, s, value)) != NULL) {
		if (s->type == SET_INT)
			snprintf(ctx->err, ctx->errlen, "[%s] %s %s (%ld..%ld)",
			    section, name, why, s->min, s->max);
		else
			snprintf(ctx->err, ctx->errlen, "[%s] %s %s",
			    section, name, why);
		return 0;
	}
	return 1;
}

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	for (size_t i = 0; i < NSETTINGS; i++)
		(void)setting_apply(cfg, &settings[i], settings[i].defval);
}

/* "HH:MM:SS", 00:00:00 to 23:59:59. */
static bool
time_valid(const char *s)
{
	if (strlen(s) != 8 || s[2] != ':' || s[5] != ':')
		return false;
	for (int i = 0; i < 8; i++)
		if (i != 2 && i != 5 && (s[i] < '0' || s[i] > '9'))
			return false;
	return (s[0] - '0') * 10 + (s[1] - '0') < 24 && s[3] < '6' && s[6] < '6';
}

/* A date the core's calendar covers. */
static bool
anchor_valid(const char *s)
{
	date_t d;
	int y, m, day;

	if (!date_parse(s, &d))
		return false;
	date_to_ymd(d, &y, &m, &day);
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR;
}

/* The [calendar] values the table's types cannot check. */
static int
validate_calendar(const struct config *cfg, char *err, size_t errlen)
{
	size_t n = strlen(cfg->area);
	const char *bad = NULL;

	if (n == 0 || n > 32 || strspn(cfg->area,
	    "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		bad = "area must be 1 to 32 of a-z, 0-9 and _";
	else if (!time_valid(cfg->cutoff_time))
		bad = "cutoff_time must be HH:MM:SS";
	else if (strcmp(cfg->holiday_policy, "move") != 0 &&
	    strcmp(cfg->holiday_policy, "skip") != 0)
		bad = "holiday_policy must be move or skip";
	else if (!anchor_valid(cfg->masc_anchor))
		bad = "masc_anchor must be a date (YYYY-MM-DD)";
	else if (cfg->marac_anchor[0] != '\0' && !anchor_valid(cfg->marac_anchor))
		bad = "marac_anchor must be a date (YYYY-MM-DD) or empty";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "[calendar] %s", bad);
	return -1;
}

/* The [mail] values the table's types cannot check. */
static int
validate_mail(const struct config *cfg, char *err, size_t errlen)
{
	const char *bad = NULL;

	if (strncmp(cfg->smtp_url, "smtp://", 7) != 0 &&
	    strncmp(cfg->smtp_url, "smtps://", 8) != 0)
		bad = "smtp_url must start with smtp:// or smtps://";
	else if (strcmp(cfg->smtp_tls, "none") != 0 &&
	    strcmp(cfg->smtp_tls, "try") != 0 && strcmp(cfg->smtp_tls, "all") != 0)
		bad = "smtp_tls must be none, try or all";
	else if ((cfg->smtp_user[0] == '\0') != (cfg->smtp_password_file[0] == '\0'))
		bad = "smtp_user and smtp_password_file go together";
	/*
	 * A password is never sent where STARTTLS could be stripped: with
	 * "try" a man in the middle removes the offer and reads it in clear.
	 */
	else if (cfg->smtp_user[0] != '\0' && strncmp(cfg->smtp_url, "smtp://", 7) == 0 &&
	    strcmp(cfg->smtp_tls, "all") != 0)
		bad = "smtp_user (SMTP AUTH) needs smtp_tls = all or an smtps:// smtp_url";
	else if (!mailfmt_address_ok(cfg->mail_from))
		bad = "mail_from must be a bare address (user@domain)";
	else if (strspn(cfg->mail_domain, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") != strlen(cfg->mail_domain))
		bad = "mail_domain must be a domain name";
	else if (cfg->mail_lease_seconds <= cfg->mail_send_timeout)
		bad = "lease_seconds must be more than send_timeout";
	else if (cfg->mail_retry_max < cfg->mail_retry_base)
		bad = "retry_max_seconds must be at least retry_base_seconds";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "[mail] %s", bad);
	return -1;
}

/* The [decisions] values the table's types cannot check. */
static int
validate_decisions(const struct config *cfg, char *err, size_t errlen)
{
	struct decision_areas areas;

	if (!decision_areas_parse(cfg->marac_areas, &areas)) {
		snprintf(err, errlen, "[decisions] marac_areas must be 1 to %d "
		    "distinct codes ([a-z0-9_]) separated by commas", DECISION_AREAS_MAX);
		return -1;
	}
	if (cfg->drive_team_address[0] != '\0' &&
	    !mailfmt_address_ok(cfg->drive_team_address)) {
		snprintf(err, errlen, "[decisions] drive_team_address must be a bare "
		    "address (user@domain)");
		return -1;
	}
	return 0;
}

/* A comma-separated list of 1 to 10 bare addresses. */
static bool
address_list_ok(const char *list)
{
	char one[256];
	const char *p = list;
	int n = 0;

	while (*p != '\0') {
		size_t len;

		p += strspn(p, " \t");
		len = strcspn(p, ",");
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0 || len >= sizeof(one) || ++n > 10)
			return false;
		memcpy(one, p, len);
		one[len] = '\0';
		if (!mailfmt_address_ok(one))
			return false;
		p += strcspn(p, ",");
		if (*p == ',' && *++p == '\0')
			return false;
	}
	return true;
}

static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The [reminders] values (and [mail] base_url) the table's types cannot check. */
static int
validate_reminders(const struct config *cfg, char *err, size_t errlen)
{
	const char *u = cfg->mail_base_url;
	const char *bad = NULL;

	if (reminders_weekday_parse(cfg->reminders_digest_day) == 0)
		bad = "[reminders] digest_day must be a weekday (monday..sunday)";
	else if (!time_valid(cfg->reminders_digest_time))
		bad = "[reminders] digest_time must be HH:MM:SS";
	else if (cfg->reminders_coordinator_email[0] != '\0' &&
	    !address_list_ok(cfg->reminders_coordinator_email))
		bad = "[reminders] coordinator_email must be bare addresses "
		    "(user@domain) separated by commas";
	else if (u[0] != '\0' && ((strncmp(u, "https://", 8) != 0 &&
	    strncmp(u, "http://", 7) != 0) || strlen(u) > 200 || !printable(u) ||
	    strpbrk(u, " \t\"'<>\\") != NULL))
		bad = "[mail] base_url must be an http:// or https:// address";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "%s", bad);
	return -1;
}

/* The [retention] values the table's types cannot check. */
static int
validate_retention(const struct config *cfg, char *err, size_t errlen)
{
	const char *bad = NULL;

	if (strcmp(cfg->retention_below_threshold_action, "anonymise") != 0 &&
	    strcmp(cfg->retention_below_threshold_action, "delete") != 0)
		bad = "below_threshold_action must be anonymise or delete";
	else if (strcmp(cfg->retention_case_action, "anonymise") != 0 &&
	    strcmp(cfg->retention_case_action, "delete") != 0)
		bad = "case_action must be anonymise or delete";
	else if (cfg->retention_audit_years < cfg->retention_case_years)
		bad = "audit_years must be at least case_years (the audit outlives "
		    "what it records)";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "[retention] %s", bad);
	return -1;
}

/* The [statistics] values: the core says what it accepts. */
static int
validate_statistics(const struct config *cfg, char *err, size_t errlen)
{
	struct sl_params p;
	const char *bad;

	memset(&p, 0, sizeof(p));
	p.population = cfg->statistics.population;
	p.agency_types = cfg->statistics.agency_types;
	for (int i = 0; i < SL_EXPECT_COUNT; i++)
		p.expected[i] = cfg->statistics.expected[i];
	if (cfg->statistics.report_recipients[0] != '\0' &&
	    !address_list_ok(cfg->statistics.report_recipients)) {
		snprintf(err, errlen, "[statistics] report_recipients must be "
		    "addresses separated by commas");
		return -1;
	}
	if (sl_params_check(&p, &bad) == 0)
		return 0;
	if (strncmp(bad, "expected_", 9) == 0)
		snprintf(err, errlen, "[statistics] %s must be a range: low-high, "
		    "low-, -high or empty", bad);
	else
		snprintf(err, errlen, "[statistics] %s", bad);
	return -1;
}

/* "a,b,c": each item one of allowed (NULL: a code of a-z, 0-9 and _). */
static bool
list_valid(const char *s, const char *const *allowed)
{
	const char *p = s, *end;
	size_t n;
	bool ok;

	if (*s == '\0')
		return allowed == NULL;
	for (;;) {
		end = p + strcspn(p, ",");
		n = (size_t)(end - p);
		if (allowed == NULL) {
			ok = n >= 1 && n <= 32 && strspn(p,
			    "abcdefghijklmnopqrstuvwxyz0123456789_") >= n;
		} else {
			ok = false;
			for (const char *const *a = allowed; *a != NULL; a++)
				ok |= strlen(*a) == n && strncmp(*a, p, n) == 0;
		}
		if (!ok)
			return false;
		if (*end == '\0')
			return true;
		p = end + 1;
	}
}

/* The [agenda] values the table's types cannot check. */
static int
validate_agenda(const struct config *cfg, char *err, size_t errlen)
{
	static const char *const formats[] = { "html", "csv", "ics", NULL };
	static const char *const none[] = { "none", NULL };
	const char *base = cfg->agenda_link_base;
	const char *bad = NULL;

	if (!list_valid(cfg->agenda_agency_order, NULL))
		bad = "agency_order must be agency codes separated by commas";
	else if (!list_valid(cfg->agenda_attach, formats) &&
	    !list_valid(cfg->agenda_attach, none))
		bad = "attach must be none or html, csv and ics separated by commas";
	else if (base[0] != '\0' && ((strncmp(base, "https://", 8) != 0 &&
	    strncmp(base, "http://", 7) != 0) || strlen(base) > 200 ||
	    strpbrk(base, " \t\"'<>\\?#") != NULL))
		bad = "link_base must be an http:// or https:// URL without a query";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "[agenda] %s", bad);
	return -1;
}

/*
 * The [referrals] values the table's ranges cannot check: the core says
 * what it accepts (dash_params_valid, routing_params_valid).
 */
static int
validate_referrals(const struct config *cfg, char *err, size_t errlen)
{
	const struct intake_params *p = &cfg->intake;
	const char *bad = NULL;

	if (p->risk.dash_medium_min >= p->risk.dash_high_min)
		bad = "dash_medium must be less than dash_high";
	else if (!dash_params_valid(&p->risk))
		bad = "dash_high, dash_medium or escalation_callouts is out of range";
	else if (!routing_params_valid(&p->routing))
		bad = "min_victim_age or repeat_months is out of range";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "[referrals] %s", bad);
	return -1;
}

/*
 * An origin as a browser sends it: scheme://host[:port], nothing after.
 * Anything more (a path, a trailing slash) could never equal an Origin
 * header, and every browser change would be refused without a clue why.
 */
static bool
origin_valid(const char *o)
{
	const char *host;

	if (strncmp(o, "https://", 8) == 0)
		host = o + 8;
	else if (strncmp(o, "http://", 7) == 0)
		host = o + 7;
	else
		return false;
	return host[0] != '\0' && strlen(o) <= 200 && strspn(host,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]")
	    == strlen(host);
}

/* The [accounts] values the table's ranges cannot check. */
static int
validate_accounts(const struct config *cfg, char *err, size_t errlen)
{
	const char *bad = NULL;

	if (cfg->accounts.absolute_lifetime < cfg->accounts.idle_timeout)
		bad = "absolute_lifetime must be at least idle_timeout";
	else if (cfg->accounts.public_origin[0] != '\0' &&
	    !origin_valid(cfg->accounts.public_origin))
		bad = "public_origin must be http(s)://host[:port] with no path";
	if (bad == NULL)
		return 0;
	snprintf(err, errlen, "[accounts] %s", bad);
	return -1;
}

static int
validate(struct config *cfg, char *err, size_t errlen)
{
	if (validate_accounts(cfg, err, errlen) != 0)
		return -1;
	const char *why;

	if (validate_referrals(cfg, err, errlen) != 0)
		return -1;

	if (validate_decisions(cfg, err, errlen) != 0)
		return -1;
	if (validate_agenda(cfg, err, errlen) != 0)
		return -1;
	if (validate_mail(cfg, err, errlen) != 0)
		return -1;
	if (drive_rubric_check(&cfg->drive_rubric, &why) != 0) {
		/* The core names its keys drive_X; here they are [drive] X. */
		snprintf(err, errlen, "[drive] %s", strncmp(why, "drive_", 6) == 0 ?
		    why + 6 : why);
		return -1;
	}
	if (validate_reminders(cfg, err, errlen) != 0)
		return -1;
	if (validate_calendar(cfg, err, errlen) != 0)
		return -1;
	if (validate_retention(cfg, err, errlen) != 0)
		return -1;
	if (validate_statistics(cfg, err, errlen) != 0)
		return -1;
	if ((cfg->tls_cert[0] == '\0') != (cfg->tls_key[0] == '\0')) {
		snprintf(err, errlen, "[server] tls_cert and tls_key go together");
		return -1;
	}
	return 0;
}

int
config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	struct load_ctx ctx = { cfg, err, errlen };
	char why[CONFIG_ERRLEN];
	int rc;

	config_defaults(cfg);
	err[0] = '\0';
	rc = ini_parse(path, on_setting, &ctx);
	if (rc == -1) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	if (rc != 0) {
		/* ini_parse returns the line of the first error. */
		snprintf(why, sizeof(why), "%s", err[0] != '\0' ? err :
		    "not a setting, a [section] or a comment");
		snprintf(err, errlen, "%s:%d: %s", path, rc, why);
		return -1;
	}
	return validate(cfg, err, errlen);
}

void
config_free(struct config *cfg)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		if (settings[i].type == SET_STR || settings[i].type == SET_LOGLEVEL) {
			char **sp = str_at(cfg, &settings[i]);
			free(*sp);
			*sp = NULL;
		}
	}
}

static bool
setting_equal(struct config *a, struct config *b, const struct setting *s)
{
	char key[64], va[64], vb[64];

	switch (s->type) {
	case SET_DRIVE:
		drive_key(s, key, sizeof(key));
		return drive_rubric_get(&a->drive_rubric, key, va, sizeof(va)) &&
		    drive_rubric_get(&b->drive_rubric, key, vb, sizeof(vb)) &&
		    strcmp(va, vb) == 0;
	case SET_STR:
	case SET_LOGLEVEL:
		return strcmp(*str_at(a, s), *str_at(b, s)) == 0;
	case SET_INT:
		return *(int *)((char *)a + s->offset) == *(int *)((char *)b + s->offset);
	case SET_BOOL:
		return *(bool *)((char *)a + s->offset) == *(bool *)((char *)b + s->offset);
	}
	return true;
}

void
config_reload(struct config *cur, struct config *next,
    void (*warn)(const char *, const char *))
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];
		char **a, **b, *tmp;

		if (setting_equal(cur, next, s))
			continue;
		if (!s->reloadable) {
			if (warn != NULL)
				warn(s->section, s->name);
			continue;
		}
		if (s->type == SET_STR || s->type == SET_LOGLEVEL) {
			/* Swap, so that next frees the old value. */
			a = str_at(cur, s);
			b = str_at(next, s);
			tmp = *a;
			*a = *b;
			*b = tmp;
		} else if (s->type == SET_DRIVE) {
			char key[64], v[64];

			drive_key(s, key, sizeof(key));
			if (drive_rubric_get(&next->drive_rubric, key, v, sizeof(v)))
				(void)drive_rubric_set(&cur->drive_rubric, key, v, NULL);
		} else if (s->type == SET_INT) {
			*(int *)((char *)cur + s->offset) = *(int *)((char *)next + s->offset);
		} else {
			*(bool *)((char *)cur + s->offset) = *(bool *)((char *)next + s->offset);
		}
	}
}

void
config_print_sample(FILE *out)
{
	const char *section = "";

	fprintf(out, "# maracd.conf: see maracd.conf(5).  Generated by maracd -C;\n"
	    "# every line shows the default.\n");
	for (size_t i = 0; i < NSETTINGS; i++) {
		const struct setting *s = &settings[i];

		if (strcmp(section, s->section) != 0) {
			section = s->section;
			fprintf(out, "\n[%s]\n", section);
		}
		fprintf(out, "# %s", s->doc);
		if (s->type == SET_INT)
			fprintf(out, " Range %ld..%ld.", s->min, s->max);
		fprintf(out, "%s\n", s->reloadable ? " Reloaded on SIGHUP." : "");
		fprintf(out, "%s = %s\n", s->name, s->defval);
	}
}

const char *
config_default_path(void)
{
	const char *env = getenv("MARACD_CONF");

	return env != NULL && env[0] != '\0' ? env : CONFIG_DEFAULT_PATH;
}

/*
 * maracd.conf: every setting is one row of the table in config.c, which
 * also documents it; maracd -C prints that table as a sample config.
 */
#ifndef MARACD_CONFIG_H
#define MARACD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/drive.h"
#include "core/intake.h"
#include "core/safelives.h"

struct config {
	/* [server] */
	char	*listen_address;
	int	 listen_port;
	int	 max_body_size;
	int	 max_header_size;
	int	 request_timeout;
	int	 shutdown_timeout;
	char	*tls_cert;
	char	*tls_key;
	int	 max_connections;
	int	 max_connection_age;
	int	 rate_limit;
	int	 auth_failures_per_minute;
	int	 max_connections_per_address;
	/* [database] */
	char	*dsn;
	char	*job_token_file;
	int	 pool_size;
	int	 queue_max;
	int	 reconnect_max_delay_ms;
	int	 statement_timeout_ms;
	/* [log] */
	char	*log_level;
	bool	 log_syslog;
	/* [calendar] */
	char	*timezone;
	char	*area;
	int	 horizon_weeks;
	int	 sittings_job_interval;
	char	*cutoff_time;
	char	*holiday_policy;
	char	*masc_anchor;
	int	 masc_interval_days;
	int	 masc_cutoff_workdays;
	char	*marac_anchor;
	int	 marac_interval_days;
	int	 marac_cutoff_workdays;
	/* [decisions] */
	char	*marac_areas;
	char	*drive_team_address;
	/* [mail] */
	char	*smtp_url;
	char	*smtp_tls;
	char	*smtp_user;
	char	*smtp_password_file;
	char	*smtp_ca_file;
	char	*mail_from;
	char	*mail_domain;
	int	 mail_concurrency;
	int	 mail_send_timeout;
	int	 mail_lease_seconds;
	int	 mail_retry_base;
	int	 mail_retry_max;
	int	 mail_max_attempts;
	bool	 mail_personal_data;
	/* [drive] */
	struct drive_rubric drive_rubric;	/* the rubric settings */
	int	 drive_screen_workdays;
	int	 drive_job_interval;
	char	*mail_base_url;
	/* [reminders] */
	bool	 reminders_digest;
	char	*reminders_digest_day;
	char	*reminders_digest_time;
	bool	 reminders_overdue;
	bool	 reminders_summary;
	char	*reminders_coordinator_email;
	int	 reminders_interval;
	int	 reminders_persistent_days;
	/* [agenda] */
	bool	 agenda_full_names;
	char	*agenda_agency_order;
	char	*agenda_attach;
	char	*agenda_link_base;
	/* [referrals] */
	struct intake_params intake;	/* DASH and routing thresholds */
	char	*checklist_wording;	/* the questions' wording file, or "" */
	/* [accounts]: named people, their passwords and browser sessions */
	struct {
		int	 argon2_opslimit;	/* crypto_pwhash opslimit */
		int	 argon2_memlimit_kib;	/* crypto_pwhash memlimit / 1024 */
		int	 hash_threads;
		int	 hash_queue_max;
		int	 idle_timeout;		/* seconds */
		int	 absolute_lifetime;	/* seconds */
		int	 invitation_hours;
		char	*breached_passwords;	/* path; "" = no list */
		char	*public_origin;		/* scheme://host[:port]; "" = none */
		int	 signin_failures_before_lock;
		int	 lock_minutes;
	} accounts;
	/* [web] */
	char	*web_assets;		/* web/build's output */
	char	*web_service_name;
	/* [retention] */
	bool	 retention_purge;
	int	 retention_below_threshold_months;
	char	*retention_below_threshold_action;
	int	 retention_case_years;
	char	*retention_case_action;
	int	 retention_outbox_days;
	int	 retention_draft_days;
	int	 retention_audit_years;
	int	 retention_batch;
	int	 retention_interval;
	/* [statistics]: the SafeLives return (core/safelives.h) */
	struct {
		char	*population;
		char	*agency_types;
		char	*expected[SL_EXPECT_COUNT];
		int	 suppress_below;
		char	*report_recipients;	/* the quarterly report's */
		int	 report_interval;
	} statistics;
};

#define CONFIG_ERRLEN 256

void	config_defaults(struct config *cfg);
/* Defaults, then the file.  On failure err names the line and the reason. */
int	config_load(const char *path, struct config *cfg, char *err, size_t errlen);
void	config_free(struct config *cfg);
/*
 * Copy the settings that may change on SIGHUP from next into cur; for each
 * one that needs a restart, call warn with its name.  next is left owning
 * whatever it did not hand over and must still be freed.
 */
void	config_reload(struct config *cur, struct config *next,
	    void (*warn)(const char *section, const char *name));
void	config_print_sample(FILE *out);
/* The default path: $MARACD_CONF, else /etc/maracd/maracd.conf. */
const char *config_default_path(void);

#endif

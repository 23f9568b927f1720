/*
 * The mail baseline: a minimal libcurl sender.  It reads the messages of
 * the outbox rows a query names into memory first (so that the database
 * costs it nothing while it sends), then hands them to the SMTP server
 * with curl's multi interface, at most CONC at once, each as maracd
 * builds it (CRLF line ends, curl_mime quoted-printable text and HTML
 * alternatives, the same headers), so that both put the same bytes on the
 * wire and the server does the same work for each; one easy handle per
 * message on one multi handle whose
 * connection cache keeps CONC connections, as maracd's mailer does.
 * No retries, no leases, no acknowledgements: what is left is the cost
 * of SMTP itself, which is what maracd is measured against.
 *
 *   baseline_mail -c CONC -u smtp://127.0.0.1:PORT -f FROM CONNINFO WHERE
 *
 * Prints "RESULT msgs=N seconds=S mps=R span_mps=R2" where span_mps
 * counts from the first message accepted to the last ((N - 1) / span),
 * the same measure bench/mail takes of maracd from sent_at.
 */
#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct msg {
	char		*rcpt, *subject, *text, *html, *mid;
	CURL		*easy;
	curl_mime	*mime;
	struct curl_slist *to, *hdr;
};

/* As mailfmt_crlf: every line end CRLF.  Bare LFs would go out as =0A
 * inside long soft-broken lines: fewer, longer lines than maracd sends,
 * and a server that works line by line would do less for the baseline. */
static char *
crlf(const char *s)
{
	char *out = malloc(2 * strlen(s) + 1), *o = out;

	for (; *s != '\0'; s++) {
		if (*s == '\r' || *s == '\n') {
			*o++ = '\r';
			*o++ = '\n';
			if (s[0] == '\r' && s[1] == '\n')
				s++;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
start(CURLM *multi, struct msg *m, const char *url, const char *from)
{
	char line[1200];
	curl_mimepart *part;
	curl_mime *alt;

	m->easy = curl_easy_init();
	m->to = curl_slist_append(NULL, m->rcpt);
	snprintf(line, sizeof(line), "Subject: %s", m->subject);
	m->hdr = curl_slist_append(NULL, line);
	snprintf(line, sizeof(line), "To: %s", m->rcpt);
	m->hdr = curl_slist_append(m->hdr, line);
	snprintf(line, sizeof(line), "From: %s", from);
	m->hdr = curl_slist_append(m->hdr, line);
	snprintf(line, sizeof(line), "Message-ID: %s", m->mid);
	m->hdr = curl_slist_append(m->hdr, line);
	m->hdr = curl_slist_append(m->hdr, "Date: Thu, 26 Nov 2026 06:00:00 +0000");
	m->hdr = curl_slist_append(m->hdr, "Auto-Submitted: auto-generated");
	m->mime = curl_mime_init(m->easy);
	alt = curl_mime_init(m->easy);
	part = curl_mime_addpart(alt);
	curl_mime_data(part, m->text, CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/plain; charset=utf-8");
	curl_mime_encoder(part, "quoted-printable");
	part = curl_mime_addpart(alt);
	curl_mime_data(part, m->html, CURL_ZERO_TERMINATED);
	curl_mime_type(part, "text/html; charset=utf-8");
	curl_mime_encoder(part, "quoted-printable");
	part = curl_mime_addpart(m->mime);
	curl_mime_subparts(part, alt);
	curl_mime_type(part, "multipart/alternative");
	curl_mime_headers(part, curl_slist_append(NULL, "Content-Disposition: inline"), 1);
	curl_easy_setopt(m->easy, CURLOPT_URL, url);
	curl_easy_setopt(m->easy, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(m->easy, CURLOPT_MAIL_RCPT, m->to);
	curl_easy_setopt(m->easy, CURLOPT_HTTPHEADER, m->hdr);
	curl_easy_setopt(m->easy, CURLOPT_MIMEPOST, m->mime);
	curl_easy_setopt(m->easy, CURLOPT_PRIVATE, (char *)m);
	curl_easy_setopt(m->easy, CURLOPT_NOSIGNAL, 1L);
	curl_multi_add_handle(multi, m->easy);
}

int
main(int argc, char **argv)
{
	const char *url = NULL, *from = "maracd@localhost";
	int conc = 4, ch, n, next = 0, active = 0, done = 0, failed = 0;
	double t0, first = 0, last = 0;
	struct msg *msgs;
	PGresult *res;
	PGconn *db;
	CURLM *multi;
	char sql[2048];

	while ((ch = getopt(argc, argv, "c:u:f:")) != -1) {
		if (ch == 'c')
			conc = atoi(optarg);
		else if (ch == 'u')
			url = optarg;
		else if (ch == 'f')
			from = optarg;
		else
			return 2;
	}
	if (url == NULL || argc - optind != 2) {
		fprintf(stderr, "usage: baseline_mail -c CONC -u URL [-f FROM] CONNINFO WHERE\n");
		return 2;
	}
	db = PQconnectdb(argv[optind]);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "baseline_mail: %s", PQerrorMessage(db));
		return 1;
	}
	snprintf(sql, sizeof(sql), "SELECT array_to_string(recipients, ','), subject, "
	    "body_text, coalesce(body_html, ''), '<' || left(encode(sha256(convert_to("
	    "'baseline:' || key, 'UTF8')), 'hex'), 32) || '@bench.invalid>' "
	    "FROM outbox WHERE %s ORDER BY id", argv[optind + 1]);
	res = PQexec(db, sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		fprintf(stderr, "baseline_mail: %s", PQerrorMessage(db));
		return 1;
	}
	n = PQntuples(res);
	msgs = calloc(n > 0 ? (size_t)n : 1, sizeof(*msgs));
	for (int i = 0; i < n; i++) {
		msgs[i].rcpt = strdup(PQgetvalue(res, i, 0));
		msgs[i].subject = strdup(PQgetvalue(res, i, 1));
		msgs[i].text = crlf(PQgetvalue(res, i, 2));
		msgs[i].html = crlf(PQgetvalue(res, i, 3));
		msgs[i].mid = strdup(PQgetvalue(res, i, 4));
		/* One address each here; several would need splitting. */
		msgs[i].rcpt[strcspn(msgs[i].rcpt, ",")] = '\0';
	}
	PQclear(res);
	PQfinish(db);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	multi = curl_multi_init();
	curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, (long)conc);
	t0 = now();
	while (done < n) {
		CURLMsg *cm;
		int left, running;

		while (active < conc && next < n) {
			start(multi, &msgs[next++], url, from);
			active++;
		}
		curl_multi_perform(multi, &running);
		while ((cm = curl_multi_info_read(multi, &left)) != NULL) {
			struct msg *m;

			if (cm->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(cm->easy_handle, CURLINFO_PRIVATE, (char **)&m);
			if (cm->data.result != CURLE_OK && failed++ == 0)
				fprintf(stderr, "baseline_mail: first failure: curl %d\n",
				    (int)cm->data.result);
			last = now();
			if (done == 0)
				first = last;
			curl_multi_remove_handle(multi, m->easy);
			curl_easy_cleanup(m->easy);
			curl_mime_free(m->mime);
			curl_slist_free_all(m->to);
			curl_slist_free_all(m->hdr);
			done++;
			active--;
		}
		if (done < n)
			curl_multi_poll(multi, NULL, 0, 100, NULL);
	}
	printf("RESULT msgs=%d failed=%d seconds=%.3f mps=%.1f span_mps=%.1f\n", n,
	    failed, last - t0, n / (last - t0 > 0 ? last - t0 : 1),
	    n > 1 && last > first ? (n - 1) / (last - first) : 0.0);
	curl_multi_cleanup(multi);
	curl_global_cleanup();
	return failed == 0 ? 0 : 1;
}

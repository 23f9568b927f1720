# Sourced by bench/reads, bench/rss and bench/record: builds maracd (build/bench, the
# default flags) and the reads client, starts a throwaway PostgreSQL
# cluster, an SMTP sink and maracd with bench/ingest's settings, stores one
# referral to read back, and tears it all down on exit.  Optionally starts
# nginx (Debian's, installed here if missing) serving a static file.
# After stack_up: $bin $tooldir $work $port $pgport $token_file $rid
# $ref_path (GET path of the referral) and maracd_pid.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"

stack_build() {
	tools/setup --build bench >/dev/null
	bin=$top/build/bench
	tooldir=$bin/bench-tools
	mkdir -p "$tooldir"
	cc -O2 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra bench/reads.c \
		-o "$tooldir/reads" -lpthread
}

maracd_pid=
nginx_pid=
sink=
work=
stop_maracd() {
	if [ -n "$maracd_pid" ]; then
		kill "$maracd_pid" 2>/dev/null || true
		wait "$maracd_pid" 2>/dev/null || true
		maracd_pid=
	fi
}
stop_nginx() {
	if [ -n "$nginx_pid" ]; then
		kill "$nginx_pid" 2>/dev/null || true
		wait "$nginx_pid" 2>/dev/null || true
		nginx_pid=
	fi
}
stack_down() {
	stop_maracd
	stop_nginx
	[ -n "$sink" ] && kill "$sink" 2>/dev/null && wait "$sink" 2>/dev/null
	if [ -n "$work" ]; then
		tools/pgcluster stop "$work/pg"
		rm -rf "$work"
	fi
}

# The time now in seconds, to the microsecond.
now() { date +%s.%6N; }

# Polls URL until it answers 200: the seconds it took from $1 (a now()).
wait_ready() {
	local since=$1 url=$2 pid=$3
	for _ in $(seq 1 2000); do
		if curl -fsS -o /dev/null "$url" 2>/dev/null; then
			awk -v a="$since" -v b="$(now)" 'BEGIN { printf "%.3f\n", b - a }'
			return 0
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.005
	done
	return 1
}

start_maracd() {
	local t0
	t0=$(now)
	"$bin/maracd" -f -c "$work/maracd.conf" >>"$work/maracd.log" 2>&1 &
	maracd_pid=$!
	if ! ready_seconds=$(wait_ready "$t0" "http://127.0.0.1:$port/readyz" "$maracd_pid"); then
		echo "bench: maracd did not become ready" >&2
		tail -n 30 "$work/maracd.log" >&2
		exit 1
	fi
}

stack_up() {
	work=$(mktemp -d /tmp/maracd-bench.XXXXXX)
	chmod 755 "$work"
	mkdir -p "$work/pg" "$work/mail"
	tools/pgcluster init "$work/pg"
	pgport=$(tools/free-port)
	tools/pgcluster start "$work/pg" "$pgport" ||
		{ pgport=$(tools/free-port); tools/pgcluster start "$work/pg" "$pgport"; }
	tools/pgcluster bootstrap "$pgport" bench >/dev/null
	local smtpport
	smtpport=$(tools/free-port)
	tools/smtp-sink --dir "$work/mail" --port "$smtpport" >"$work/smtp.log" 2>&1 &
	sink=$!
	port=$(tools/free-port)
	cat >"$work/maracd.conf" <<CONF
# Written by bench/daemon-stack.sh: the defaults, but for these lines.
[server]
listen_address = 127.0.0.1
listen_port = $port
# One admin token sends everything: the per-token limit would measure itself.
rate_limit = 0

[database]
dsn = host=127.0.0.1 port=$pgport dbname=bench user=maracd
job_token_file = $work/job-token

[log]
level = info

[mail]
smtp_url = smtp://127.0.0.1:$smtpport
smtp_tls = none
CONF
	export MARACCTL_OWNER_DSN="host=127.0.0.1 port=$pgport dbname=bench user=maracd_owner"
	"$bin/maracctl" -c "$work/maracd.conf" migrate >/dev/null
	(umask 077; "$bin/maracctl" -c "$work/maracd.conf" token create --role job \
		--name "maracd jobs" >"$work/job-token" 2>/dev/null)
	while IFS='|' read -r code name; do
		"$bin/maracctl" -c "$work/maracd.conf" agency add "$code" --name "$name" \
			--email "$code@agencies.invalid" >/dev/null
	done <<'AGENCIES'
police|Police
probation|Probation Service
victim_support|Victim Support
health_icb|Health (ICB)
childrens_social_care|Children's Social Care
adult_social_care|Adult Social Care
housing|Housing
idva|IDVA Service
AGENCIES
	token_file=$work/token
	(umask 077; "$bin/maracctl" -c "$work/maracd.conf" token create --role admin \
		--name bench >"$token_file" 2>/dev/null)
	start_maracd
	rid=$(post_referral READS-1 | grep -Eo '"id": *[0-9]+' | head -n 1 | grep -Eo '[0-9]+$')
	[ -n "$rid" ] || { echo "bench: could not store the referral" >&2; exit 1; }
	ref_path=/v1/referrals/$rid
}

# POSTs a MARAC referral like the integration tests' (DASH 15 of 27)
# with EXTERNAL_REF as the admin token; prints maracd's answer.
post_referral() {
	local answers body
	answers=$(for q in $(seq 1 27); do
		[ "$q" -le 15 ] && v=true || v=false
		printf '"%d": %s' "$q" "$v"
		[ "$q" -lt 27 ] && printf ', '
	done; true)
	body='{"external_ref": "'"$1"'", "referring_agency": "police",
	 "referrer": {"name": "DC Test", "email": "dc.test@police.example", "phone": "01234 567890"},
	 "domestic_abuse": true, "stalking": false, "urgent": false,
	 "victim": {"name": "Jane Doe", "dob": "1990-02-01", "gender": "female", "postcode": "CA1 1AA"},
	 "perpetrator": {"name": "John Roe", "dob": "1985-05-05", "gender": "male",
	   "relationship": "ex-partner", "in_custody": false, "mappa_level": 0,
	   "on_drive": false, "in_area": true},
	 "children": [{"name": "A Doe", "dob": "2015-01-01", "resident": true}],
	 "dash": {"version": "dash-2009", "answers": {'"$answers"'}},
	 "lawful_basis": ["crime_and_disorder_act_s115"], "consent": "not_sought",
	 "summary": "Free text about the case."}'
	curl -fsS -H "Authorization: Bearer $(cat "$token_file")" \
		-H 'Content-Type: application/json' --data "$body" \
		"http://127.0.0.1:$port/v1/referrals"
}

# nginx serving FILE's bytes as a static file at /referral.json, one
# worker (maracd is one event loop), no access log, keep-alive without a
# request cap.  Sets nginx_port and nginx_pid; ready_seconds.
start_nginx() {
	local file=$1 t0
	if ! command -v nginx >/dev/null 2>&1; then
		echo "bench: installing nginx (the baseline)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null; }
	fi
	nginx_bin=$(command -v nginx)
	mkdir -p "$work/www" "$work/nginx"
	cp "$file" "$work/www/referral.json"
	chmod 755 "$work/www"
	chmod 644 "$work/www/referral.json"
	nginx_port=$(tools/free-port)
	cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
	access_log off;
	keepalive_timeout 300;
	keepalive_requests 100000000;
	client_body_temp_path $work/nginx/body;
	proxy_temp_path $work/nginx/proxy;
	fastcgi_temp_path $work/nginx/fastcgi;
	uwsgi_temp_path $work/nginx/uwsgi;
	scgi_temp_path $work/nginx/scgi;
	server {
		listen 127.0.0.1:$nginx_port;
		root $work/www;
		default_type application/json;
	}
}
CONF
	t0=$(now)
	"$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx" >>"$work/nginx/out.log" 2>&1 &
	nginx_pid=$!
	if ! ready_seconds=$(wait_ready "$t0" "http://127.0.0.1:$nginx_port/referral.json" "$nginx_pid"); then
		echo "bench: nginx did not start" >&2
		cat "$work/nginx/error.log" "$work/nginx/out.log" >&2
		exit 1
	fi
}

# RSS in KiB of a process and its children (nginx: master and worker).
rss_tree() {
	local pid=$1 sum=0 p
	for p in $pid $(pgrep -P "$pid" || true); do
		sum=$((sum + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status")))
	done
	echo "$sum"
}

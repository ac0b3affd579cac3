#!/usr/bin/env bash
# Checks that the sample app works with Spring's ahead-of-time processing: builds it with
# -Paot (into failover-sample-app/target/aot, the ordinary jar is left alone), starts a broker
# (scripts/kafka-broker.sh), runs the jar with -Dspring.aot.enabled=true, and waits until the
# app says it started from AOT-generated code, /actuator/failover reports it primary and its
# @PrimaryOnly job has written to the ledger. Stops what it started, also on failure or
# Ctrl-C. Exits 0 only if every check held. Needs only a JDK 17 and Maven (no curl: HTTP
# goes through bash's /dev/tcp).
#
#   scripts/aot-check.sh [--no-build]      (--no-build: run the jar built last time)
#
# AOT_CHECK_LOG=FILE keeps a copy of the app's log.
set -euo pipefail

cd "$(dirname "$0")/.."

build=true
case "${1:-}" in
	--no-build) build=false ;;
	"") ;;
	-h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
esac

# generous for a loaded two-core machine; a healthy run needs a fraction of each
broker_wait=120
start_wait=120
primary_wait=60
ledger_wait=60

module=failover-sample-app
work="$(mktemp -d)"
broker_pid=""
app_pid=""

stop_process() {
	local pid=$1 name=$2 waited=0
	[[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
	# TERM, not INT: background jobs of a non-interactive shell ignore SIGINT
	kill -TERM "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null && ((waited < 30)); do
		sleep 1
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "aot-check: the $name did not stop within 30 s; killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	stop_process "$app_pid" app
	stop_process "$broker_pid" broker
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	echo "aot-check: FAILED: $*" >&2
	if [[ -s "$work/app.log" ]]; then
		echo "--- last 60 lines of the app's log" >&2
		tail -n 60 "$work/app.log" >&2
	fi
	if [[ -s "$work/broker.log" ]]; then
		echo "--- last 20 lines of the broker's output" >&2
		tail -n 20 "$work/broker.log" >&2
	fi
	exit 1
}

# waits up to $1 seconds for the command after it to succeed
wait_for() {
	local seconds=$1
	shift
	local deadline=$((SECONDS + seconds))
	until "$@"; do
		((SECONDS < deadline)) || return 1
		sleep 0.5
	done
}

# the body of GET 127.0.0.1:$port$1, or nothing
http_get() {
	local response
	response="$( (exec 3<>"/dev/tcp/127.0.0.1/$port" \
		&& printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3 && cat <&3) 2>/dev/null)" || return 0
	printf '%s' "${response#*$'\r\n\r\n'}"
}

if $build; then
	echo "aot-check: building $module with -Paot (mvn -q package, tests skipped) ..."
	started=$SECONDS
	# quiet unless it fails: then show Maven's output
	if ! output="$(mvn -B -q -Paot -Dmaven.test.skip=true -pl "$module" -am package 2>&1)"; then
		echo "$output" >&2
		fail "the AOT build failed"
	fi
	echo "aot-check: built in $((SECONDS - started)) s"
fi
# ls fails when there is none: that is reported below, not by set -e
jar="$(ls -t "$module"/target/aot/"$module"-*.jar 2>/dev/null | sed -n 1p || true)"
[[ -n "$jar" ]] || fail "no jar in $module/target/aot (run without --no-build)"
[[ -f "$module/target/aot/classes/dev/failover/sample/SampleApplication__ApplicationContextInitializer.class" ]] \
	|| fail "process-aot generated no initializer in $module/target/aot/classes"

echo "aot-check: starting a broker ..."
broker_started=$SECONDS
scripts/kafka-broker.sh >"$work/broker.log" 2>&1 &
broker_pid=$!
broker_up() {
	kill -0 "$broker_pid" 2>/dev/null || fail "the broker exited"
	grep -q '^bootstrap servers: ' "$work/broker.log"
}
wait_for "$broker_wait" broker_up || fail "the broker did not start within $broker_wait s"
bootstrap="$(sed -n 's/^bootstrap servers: //p' "$work/broker.log" | sed -n 1p)"
echo "aot-check: broker at $bootstrap ($((SECONDS - broker_started)) s)"

echo "aot-check: running $jar with -Dspring.aot.enabled=true ..."
app_started_at=$SECONDS
java -Xmx512m -Dspring.aot.enabled=true -jar "$jar" --server.port=0 --failover.instance-id=aot-1 \
	--spring.kafka.bootstrap-servers="$bootstrap" --failover.heartbeat-interval=200ms \
	--failover.heartbeat-timeout=1s --spring.main.banner-mode=off >"$work/app.log" 2>&1 &
app_pid=$!
app_started() {
	kill -0 "$app_pid" 2>/dev/null || fail "the app exited"
	grep -q 'Started SampleApplication' "$work/app.log"
}
wait_for "$start_wait" app_started || fail "the app did not start within $start_wait s"
grep -q 'Starting AOT-processed SampleApplication' "$work/app.log" \
	|| fail "the app did not start from AOT-generated code (no 'Starting AOT-processed' in its log)"
port="$(grep -o 'Tomcat started on port [0-9]*' "$work/app.log" | sed -n '1s/.* //p')"
[[ -n "$port" ]] || fail "no port in the app's log"
echo "aot-check: app started (AOT-processed) on port $port ($((SECONDS - app_started_at)) s)"

# the descriptor's own fields come first (instanceId, group, role), then the members
is_primary() {
	http_get /actuator/failover | grep -q '"instanceId":"aot-1","group":"[^"]*","role":"primary"'
}
wait_for "$primary_wait" is_primary || fail "/actuator/failover did not report primary within $primary_wait s: $(http_get /actuator/failover)"
echo "aot-check: /actuator/failover reports primary ($((SECONDS - app_started_at)) s after the start)"

# the ledger job is @PrimaryOnly: its writes show that the proxy works in AOT mode
has_written() {
	http_get /status | grep -q '"writtenByThisInstance":[1-9]'
}
wait_for "$ledger_wait" has_written || fail "the @PrimaryOnly ledger job wrote nothing within $ledger_wait s: $(http_get /status)"
echo "aot-check: the @PrimaryOnly ledger job writes"

if grep -E ' (ERROR|WARN) ' "$work/app.log" | grep -v -e 'TopicSetup' >"$work/warnings.txt"; then
	echo "aot-check: the app logged warnings (not a failure; the topic-safety warning of a one-broker setup is left out):"
	cat "$work/warnings.txt"
fi
if [[ -n "${AOT_CHECK_LOG:-}" ]]; then
	cp "$work/app.log" "$AOT_CHECK_LOG"
fi

stop_process "$app_pid" app
app_pid=""
echo "aot-check: OK"

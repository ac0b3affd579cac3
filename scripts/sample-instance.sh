#!/usr/bin/env bash
# Runs one instance of the sample app in the foreground until Ctrl-C, against a broker such
# as the one scripts/kafka-broker.sh starts. Builds the app first if needed.
#
#   scripts/sample-instance.sh --port 8081 --id a --bootstrap 127.0.0.1:9092 [app args]...
#
# Further arguments go to the app, e.g. --failover.heartbeat-timeout=5s; JVM options go in
# JAVA_OPTS. Then: curl 127.0.0.1:8081/actuator/failover, or open http://127.0.0.1:8081/.
set -euo pipefail

cd "$(dirname "$0")/.."

usage="usage: scripts/sample-instance.sh --port N --id ID [--bootstrap HOST:PORT] [app args]..."
port=""
id=""
bootstrap="127.0.0.1:9092"
while [[ $# -gt 0 ]]; do
	case "$1" in
		--port) port="${2:?--port needs a value}"; shift 2 ;;
		--id) id="${2:?--id needs a value}"; shift 2 ;;
		--bootstrap) bootstrap="${2:?--bootstrap needs a value}"; shift 2 ;;
		-h|--help) echo "$usage"; exit 0 ;;
		*) break ;;
	esac
done
if [[ -z "$port" || -z "$id" ]]; then
	echo "$usage" >&2
	exit 2
fi

module=failover-sample-app
sample_jar() {
	ls -t "$module"/target/"$module"-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' | sed -n 1p
}

jar="$(sample_jar)"
# build when never built, or when sources of the app or of what it uses changed since
if [[ -z "$jar" ]] || [[ -n "$(find pom.xml failover-core failover-kafka failover-spring-boot-starter "$module" \
		\( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit)" ]]; then
	echo "building $module ..." >&2
	# quiet unless it fails: then show Maven's output
	if ! output="$(mvn -B -q -pl "$module" -am -DskipTests package 2>&1)"; then
		echo "$output" >&2
		exit 1
	fi
	jar="$(sample_jar)"
fi

# JAVA_OPTS is split into words on purpose: it holds several options
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar" --server.port="$port" --failover.instance-id="$id" \
	--spring.kafka.bootstrap-servers="$bootstrap" "$@"

#!/usr/bin/env bash
# Runs a standalone single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C.
# Prints "bootstrap servers: 127.0.0.1:NNNN" once it is up. Needs only a JDK 17 and Maven.
#
#   scripts/kafka-broker.sh [--port N] [--controller-port N] [--data-dir DIR] [--property KEY=VALUE]...
set -euo pipefail

cd "$(dirname "$0")/.."

module=failover-testkit
classes="$module/target/classes"
classpath_file="$module/target/runtime-classpath.txt"
stamp="$module/target/.kafka-broker-built"

# build when never built, or when the module's sources or POM changed since the last build
if [[ ! -f "$stamp" || ! -f "$classpath_file" || ! -f "$classes/dev/failover/testkit/BrokerMain.class" ]] \
	|| [[ -n "$(find "$module/src/main" "$module/pom.xml" -newer "$stamp" -print -quit)" ]]; then
	echo "building $module ..." >&2
	# quiet unless it fails: then show Maven's output
	if ! output="$(mvn -B -q -pl "$module" -am -DskipTests package 2>&1)"; then
		echo "$output" >&2
		exit 1
	fi
	touch "$stamp"
fi

exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.testkit.BrokerMain "$@"

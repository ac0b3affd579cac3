#!/usr/bin/env bash
# The benchmark: crash failover (kill -9 of the primary), graceful handover (SIGTERM, and a
# switchover through the endpoint), the idle cost of failover (CPU, memory, records per
# second), and scale (2, 5 and 10 instances; 100 groups on one topic), on one local broker with
# a heartbeat interval of 1 s and a timeout of 3 s. Everything binds 127.0.0.1 and is stopped
# at the end. Writes failover-bench/target/benchmark.md and benchmark.json.
#
#   scripts/benchmark.sh                       everything, 20 runs per series (about 25 minutes on two cores)
#   scripts/benchmark.sh --runs 5 --scale-runs 3
#   scripts/benchmark.sh --only crash,sigterm,switchover
#   scripts/benchmark.sh --profile-handover    one graceful handover phase by phase, in one JVM, without Spring
#   scripts/benchmark.sh --help
#
# Run it on an otherwise idle machine: it measures milliseconds.
set -euo pipefail

cd "$(dirname "$0")/.."

module=failover-bench
classes="$module/target/classes"
classpath_file="$module/target/runtime-classpath.txt"
stamp="$module/target/.bench-built"

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

sample_jar() {
	# the Boot fat jar, not the plain .jar.original
	ls -t failover-sample-app/target/failover-sample-app-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' | head -1
}

up_to_date() {
	[[ -f "$stamp" && -f "$classpath_file" && -d "$classes" && -n "$(sample_jar)" \
		&& -f failover-testkit/target/runtime-classpath.txt ]] || return 1
	local entry
	while IFS= read -r -d ':' entry; do
		[[ -z "$entry" || -e "$entry" ]] || return 1
	done < <(printf '%s:' "$(cat "$classpath_file")")
	[[ -z "$(find pom.xml failover-*/pom.xml failover-*/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

if ! up_to_date; then
	printf 'Building the sample app and the benchmark (mvn -q package, tests skipped) ... '
	started=$SECONDS
	if ! output="$(mvn -B -q -DskipTests -pl "$module" -am package 2>&1)"; then
		echo "failed:"
		echo "$output" >&2
		exit 1
	fi
	touch "$stamp"
	echo "done in $((SECONDS - started)) s."
fi

if [[ "${1:-}" == --profile-handover ]]; then
	shift
	exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.HandoverProfile "$@"
fi
exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.Benchmark --sample-jar "$(sample_jar)" "$@"

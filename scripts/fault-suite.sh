#!/usr/bin/env bash
# The fault suite: real processes (a standalone Kafka broker and sample-app instances, all on
# 127.0.0.1), real faults (SIGKILL, SIGSTOP, broker crashes, network cuts, rolling restarts,
# switchovers, hostile records, invalid settings), and a checker that reads every role log and
# the ledger. Prints a summary table; exits 0 only if every scenario passed.
#
#   scripts/fault-suite.sh                  the full suite (about 10 minutes on two cores)
#   scripts/fault-suite.sh --quick          the shortened suite that mvn verify runs
#   scripts/fault-suite.sh --only kill-primary,cut-primary
#   scripts/fault-suite.sh --list           the scenarios
#
# Work directories of failed scenarios are kept, and named in the summary.
set -euo pipefail

cd "$(dirname "$0")/.."

module=failover-bench
classes="$module/target/classes"
classpath_file="$module/target/runtime-classpath.txt"
stamp="$module/target/.bench-built"

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
	printf 'Building the sample app and the fault suite (mvn -q package, tests skipped) ... '
	started=$SECONDS
	if ! output="$(mvn -B -q -DskipTests -pl "$module" -am package 2>&1)"; then
		echo "failed:"
		echo "$output" >&2
		exit 1
	fi
	touch "$stamp"
	echo "done in $((SECONDS - started)) s."
fi

exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.faults.FaultSuite --sample-jar "$(sample_jar)" "$@"

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
#   scripts/fault-suite.sh --only '3b-*'    the scenarios on three brokers (about 12 minutes)
#   scripts/fault-suite.sh --only 'topic-*,rolling-*'   what operators do to the topic and the settings
#
# Before any three-broker scenario, the test of their harness runs (KafkaClusterIT: three
# brokers start, the leader of a replicated topic dies, another leads; about 40 s);
# --no-harness-test skips it.
#
# Work directories of failed scenarios are kept, and named in the summary.
set -euo pipefail

cd "$(dirname "$0")/.."

. scripts/lib/build.sh failover-bench "the fault suite" failover-testkit/target/runtime-classpath.txt

# the three-broker scenarios run in the full suite and when --only names one of them
wants_cluster_test() {
	local arg prev="" only=0
	for arg in "$@"; do
		case "$arg" in
			--list | --help | -h | --quick | --no-harness-test) return 1 ;;
		esac
		if [[ $prev == --only ]]; then
			only=1
			[[ $arg == *3b-* ]] && return 0
		fi
		prev=$arg
	done
	((only == 0))
}

args=()
for arg in "$@"; do
	[[ $arg == --no-harness-test ]] || args+=("$arg")
done

if wants_cluster_test "$@"; then
	printf 'Testing the three-broker harness (KafkaClusterIT) ... '
	started=$SECONDS
	if ! output="$(mvn -B -q -pl failover-testkit -Pcluster-it verify 2>&1)"; then
		echo "failed:"
		echo "$output" >&2
		exit 1
	fi
	echo "passed in $((SECONDS - started)) s."
fi

exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.faults.FaultSuite --sample-jar "$(sample_jar)" ${args[@]+"${args[@]}"}

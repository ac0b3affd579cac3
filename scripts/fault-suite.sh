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

. scripts/lib/build.sh failover-bench "the fault suite" failover-testkit/target/runtime-classpath.txt

exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.faults.FaultSuite --sample-jar "$(sample_jar)" "$@"

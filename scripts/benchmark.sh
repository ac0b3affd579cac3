#!/usr/bin/env bash
# The benchmark: crash failover (kill -9 of the primary), graceful handover (SIGTERM, and a
# switchover through the endpoint), the idle cost of failover (CPU, memory, records per
# second), and scale (2, 5 and 10 instances; 100 groups on one topic), on one local broker with
# a heartbeat interval of 1 s and a timeout of 3 s. Everything binds 127.0.0.1 and is stopped
# at the end. Writes failover-bench/target/benchmark.md and benchmark.json.
#
#   scripts/benchmark.sh                       everything, 20 runs per series (about 75 minutes on two cores)
#   scripts/benchmark.sh --runs 5 --scale-runs 3
#   scripts/benchmark.sh --only crash,sigterm,switchover
#   scripts/benchmark.sh --profile-handover    one graceful handover phase by phase, in one JVM, without Spring
#   scripts/benchmark.sh --help
#
# Run it on an otherwise idle machine: it measures milliseconds.
set -euo pipefail

cd "$(dirname "$0")/.."

if [[ " $* " == *" --help "* || " $* " == *" -h "* ]]; then
	sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'
	exit 0
fi

. scripts/lib/build.sh failover-bench "the benchmark" failover-testkit/target/runtime-classpath.txt

if [[ "${1:-}" == --profile-handover ]]; then
	shift
	exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.HandoverProfile "$@"
fi
exec java -cp "$classes:$(cat "$classpath_file")" dev.failover.bench.Benchmark --sample-jar "$(sample_jar)" "$@"

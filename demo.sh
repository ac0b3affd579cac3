#!/usr/bin/env bash
# The live failover demo: a real Kafka broker and three sample instances on this machine.
# Kills the primary, restarts it, hands the primary role over, checks the ledger, and
# prints what it measured. Needs only a JDK 17 and Maven; everything binds 127.0.0.1 and
# is stopped at the end (also on Ctrl-C). Exits 0 only if every check held.
#
#   ./demo.sh [--quick] [--instances N] [--keep]      (--help lists the options)
set -euo pipefail

cd "$(dirname "$0")"

. scripts/lib/build.sh failover-demo "the demo"

jar="$(sample_jar)"
color=false
if [[ -t 1 && -z "${NO_COLOR:-}" && "${TERM:-dumb}" != dumb ]]; then
	color=true
fi

exec java -Dfailover.demo.color="$color" \
	-Dfailover.testkit.classpath-file="$classpath_file" \
	-cp "$classes:$(cat "$classpath_file")" \
	dev.failover.demo.Demo --sample-jar "$jar" "$@"

#!/usr/bin/env bash
# The live failover demo: a real Kafka broker and three sample instances on this machine.
# Kills the primary, restarts it, hands the primary role over, checks the ledger, and
# prints what it measured. Needs only a JDK 17 and Maven; everything binds 127.0.0.1 and
# is stopped at the end (also on Ctrl-C). Exits 0 only if every check held.
#
#   ./demo.sh [--quick] [--instances N] [--keep]      (--help lists the options)
set -euo pipefail

cd "$(dirname "$0")"

module=failover-demo
classes="$module/target/classes"
classpath_file="$module/target/runtime-classpath.txt"
stamp="$module/target/.demo-built"

sample_jar() {
	# the Boot fat jar, not the plain .jar.original
	ls -t failover-sample-app/target/failover-sample-app-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' | head -1
}

up_to_date() {
	[[ -f "$stamp" && -f "$classpath_file" && -f "$classes/dev/failover/testkit/demo/Demo.class" && -n "$(sample_jar)" ]] || return 1
	# a classpath written by an earlier build may name jars that a later 'mvn clean' removed
	local entry
	while IFS= read -r -d ':' entry; do
		[[ -z "$entry" || -e "$entry" ]] || return 1
	done < <(printf '%s:' "$(cat "$classpath_file")")
	# any change to a module's main sources or to a POM since the last build
	[[ -z "$(find pom.xml failover-*/pom.xml failover-*/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

if up_to_date; then
	echo "Build is up to date (delete $stamp to force a rebuild)."
else
	printf 'Building the sample app and the demo (mvn -q package, tests skipped; the first build downloads dependencies) ... '
	started=$SECONDS
	# quiet unless it fails: then show Maven's output
	if ! output="$(mvn -B -q -DskipTests -pl "$module" -am package 2>&1)"; then
		echo "failed:"
		echo "$output" >&2
		exit 1
	fi
	touch "$stamp"
	echo "done in $((SECONDS - started)) s."
fi

jar="$(sample_jar)"
color=false
if [[ -t 1 && -z "${NO_COLOR:-}" && "${TERM:-dumb}" != dumb ]]; then
	color=true
fi

exec java -Dfailover.demo.color="$color" \
	-Dfailover.testkit.classpath-file="$classpath_file" \
	-cp "$classes:$(cat "$classpath_file")" \
	dev.failover.testkit.demo.Demo --sample-jar "$jar" "$@"

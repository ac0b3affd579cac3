# Sourced by scripts/benchmark.sh and scripts/fault-suite.sh, from the repository root:
# builds the sample app and failover-bench when a source or POM changed since the last build,
# and sets $classes, $classpath_file and the function sample_jar for starting the Java side.
# $1: what is being built, for the progress line.

module=failover-bench
classes="$module/target/classes"
classpath_file="$module/target/runtime-classpath.txt"
stamp="$module/target/.bench-built"

sample_jar() {
	# the Boot fat jar, not the plain .jar.original
	ls -t failover-sample-app/target/failover-sample-app-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' | head -1
}

bench_up_to_date() {
	[[ -f "$stamp" && -f "$classpath_file" && -d "$classes" && -n "$(sample_jar)" \
		&& -f failover-testkit/target/runtime-classpath.txt ]] || return 1
	local entry
	while IFS= read -r -d ':' entry; do
		[[ -z "$entry" || -e "$entry" ]] || return 1
	done < <(printf '%s:' "$(cat "$classpath_file")")
	[[ -z "$(find pom.xml failover-*/pom.xml failover-*/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

if ! bench_up_to_date; then
	printf 'Building the sample app and %s (mvn -q package, tests skipped) ... ' "$1"
	started=$SECONDS
	if ! output="$(mvn -B -q -DskipTests -pl "$module" -am package 2>&1)"; then
		echo "failed:"
		echo "$output" >&2
		exit 1
	fi
	touch "$stamp"
	echo "done in $((SECONDS - started)) s."
fi

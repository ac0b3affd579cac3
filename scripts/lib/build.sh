# Sourced from the repository root by demo.sh, scripts/benchmark.sh and scripts/fault-suite.sh:
# builds the sample app and the given module (mvn -q package, tests skipped) when a source or
# POM changed since that module's last build, and sets $classes, $classpath_file and the
# function sample_jar for starting the Java side.
#   $1: the module, such as failover-demo
#   $2: what is being built, for the progress line
#   $3...: more files the run needs (built by the same mvn call)

module=$1
what=$2
shift 2
classes="$module/target/classes"
classpath_file="$module/target/runtime-classpath.txt"
stamp="$module/target/.built"

sample_jar() {
	# the Boot fat jar, not the plain .jar.original
	ls -t failover-sample-app/target/failover-sample-app-*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' | sed -n 1p
}

build_up_to_date() {
	[[ -f "$stamp" && -f "$classpath_file" && -d "$classes" && -n "$(sample_jar)" ]] || return 1
	local file entry
	for file in "$@"; do
		[[ -f "$file" ]] || return 1
	done
	# a classpath written by an earlier build may name jars that a later 'mvn clean' removed
	while IFS= read -r -d ':' entry; do
		[[ -z "$entry" || -e "$entry" ]] || return 1
	done < <(printf '%s:' "$(cat "$classpath_file")")
	# any change to a module's main sources or to a POM since the last build
	[[ -z "$(find pom.xml failover-*/pom.xml failover-*/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

if build_up_to_date "$@"; then
	echo "Build is up to date (delete $stamp to force a rebuild)."
else
	printf 'Building the sample app and %s (mvn -q package, tests skipped; the first build downloads dependencies) ... ' "$what"
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

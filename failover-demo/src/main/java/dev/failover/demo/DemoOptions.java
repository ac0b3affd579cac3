package dev.failover.demo;

import java.nio.file.Path;

/**
 * The command-line options of the demo.
 *
 * @param quick whether to run the shortened version (for CI)
 * @param instances how many sample instances to run
 * @param keep whether to keep the work directory (broker data, logs) at the end
 * @param sampleJar the sample application's jar, or {@code null} to locate it
 */
record DemoOptions(boolean quick, int instances, boolean keep, Path sampleJar) {

	static final String USAGE = """
			usage: ./demo.sh [--quick] [--instances N] [--keep] [--sample-jar JAR]
			  --quick            a shortened run for CI: fewer table refreshes, no pauses to watch
			  --instances N      how many sample instances to run, 2 to 9 (default 3)
			  --keep             keep the work directory (broker data and every log) at the end
			  --sample-jar JAR   the sample application's jar (default: found in failover-sample-app/target)""";

	static final int MIN_INSTANCES = 2;

	static final int MAX_INSTANCES = 9;

	/**
	 * Parses the command line.
	 * @param args the arguments
	 * @return the options, or {@code null} if help was asked for
	 * @throws IllegalArgumentException naming a bad or unknown option
	 */
	static DemoOptions parse(String... args) {
		boolean quick = false;
		boolean keep = false;
		int instances = 3;
		Path jar = null;
		for (int i = 0; i < args.length; i++) {
			String option = args[i];
			switch (option) {
				case "-h", "--help" -> {
					return null;
				}
				case "--quick" -> quick = true;
				case "--keep" -> keep = true;
				case "--instances" -> instances = parseInstances(value(args, ++i, option));
				case "--sample-jar" -> jar = Path.of(value(args, ++i, option));
				default -> {
					if (option.startsWith("--instances=")) {
						instances = parseInstances(option.substring("--instances=".length()));
					}
					else {
						throw new IllegalArgumentException("unknown option " + option);
					}
				}
			}
		}
		return new DemoOptions(quick, instances, keep, jar);
	}

	private static String value(String[] args, int index, String option) {
		if (index >= args.length) {
			throw new IllegalArgumentException(option + " needs a value");
		}
		return args[index];
	}

	private static int parseInstances(String value) {
		try {
			int count = Integer.parseInt(value);
			if (count < MIN_INSTANCES || count > MAX_INSTANCES) {
				throw new IllegalArgumentException(
						"--instances must be " + MIN_INSTANCES + " to " + MAX_INSTANCES + ", was " + value);
			}
			return count;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("--instances must be a number, was " + value, ex);
		}
	}

}

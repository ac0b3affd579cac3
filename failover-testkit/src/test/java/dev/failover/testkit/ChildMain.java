package dev.failover.testkit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A child JVM for {@link JavaProcessTest}.
 * <ul>
 * <li>{@code tick}: prints {@code ready}, the value of {@code CHILD_GREETING}, then
 * {@code tick N} every 50 ms forever;</li>
 * <li>{@code exit N}: prints {@code exiting} and exits with code N;</li>
 * <li>{@code spawn LOG}: starts a {@code tick} grandchild through {@link JavaProcess}, prints
 * {@code grandchild PID}, then sleeps.</li>
 * </ul>
 */
public final class ChildMain {

	private ChildMain() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "tick" -> {
				System.out.println("ready, greeting " + System.getenv("CHILD_GREETING"));
				for (long i = 0;; i++) {
					System.out.println("tick " + i);
					Thread.sleep(50);
				}
			}
			case "exit" -> {
				System.out.println("exiting");
				System.exit(Integer.parseInt(args[1]));
			}
			case "spawn" -> {
				JavaProcess grandchild = JavaProcess.builder("grandchild")
					.mainClass(ChildMain.class.getName(), System.getProperty("java.class.path"))
					.args("tick")
					.logFile(Path.of(args[1]))
					.start();
				grandchild.awaitLogLine("ready", Duration.ofSeconds(30));
				System.out.println("grandchild " + grandchild.pid());
				Thread.sleep(Long.MAX_VALUE);
			}
			default -> throw new IllegalArgumentException("unknown mode " + args[0]);
		}
	}

}

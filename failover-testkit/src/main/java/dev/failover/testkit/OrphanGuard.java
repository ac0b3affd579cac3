package dev.failover.testkit;

/**
 * A Java agent that halts a child JVM as soon as the JVM that started it is gone.
 * <p>
 * Shutdown hooks clean up children on a normal exit or Ctrl-C, but not when the parent is
 * killed with {@code SIGKILL} (a surefire fork timing out, an IDE's stop button, an OOM
 * killer); without this guard such a parent would leave brokers and applications running.
 * The agent polls the parent pid because the JDK offers no parent-death signal, and it halts
 * rather than exits so that a stuck shutdown hook of the child cannot keep it alive.
 * <p>
 * This class is copied into a generated agent jar by {@link OrphanGuardJar}; it must stay
 * self-contained (no other testkit class, no inner classes).
 */
public final class OrphanGuard {

	private static final long POLL_MILLIS = 500;

	private OrphanGuard() {
	}

	/**
	 * Starts the guard thread.
	 * @param agentArgs the pid of the parent process to watch
	 */
	public static void premain(String agentArgs) {
		long parentPid = Long.parseLong(agentArgs.trim());
		Thread thread = new Thread(() -> watch(parentPid), "failover-orphan-guard");
		thread.setDaemon(true);
		thread.start();
	}

	private static void watch(long parentPid) {
		while (true) {
			// once the parent dies the child is re-parented, so its parent pid changes
			long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
			if (parent != parentPid) {
				System.err.println("[failover-orphan-guard] parent process " + parentPid + " is gone; halting");
				System.err.flush();
				Runtime.getRuntime().halt(137);
			}
			try {
				Thread.sleep(POLL_MILLIS);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

}

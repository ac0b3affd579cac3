package dev.failover.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The JVM-wide registry that ends every child process still running when this JVM exits,
 * then runs cleanup actions such as deleting temporary broker directories.
 * <p>
 * One shutdown hook serves every process, so children are ended in parallel (all are
 * signalled first, then awaited) and directories are deleted only once nothing writes to
 * them any more. Children of a JVM that is killed outright are ended by {@link OrphanGuard}.
 */
final class ProcessReaper {

	private static final Set<JavaProcess> processes = ConcurrentHashMap.newKeySet();

	private static final List<Runnable> cleanups = new CopyOnWriteArrayList<>();

	static {
		Thread hook = new Thread(ProcessReaper::reapAll, "failover-testkit-reaper");
		Runtime.getRuntime().addShutdownHook(hook);
	}

	private ProcessReaper() {
	}

	static void register(JavaProcess process) {
		processes.add(process);
	}

	static void unregister(JavaProcess process) {
		processes.remove(process);
	}

	/**
	 * Adds an action to run at JVM exit after all child processes have ended.
	 * @param cleanup the action; exceptions are printed and ignored
	 */
	static void addCleanup(Runnable cleanup) {
		cleanups.add(cleanup);
	}

	static void removeCleanup(Runnable cleanup) {
		cleanups.remove(cleanup);
	}

	private static void reapAll() {
		List<JavaProcess> live = new ArrayList<>(processes);
		for (JavaProcess process : live) {
			guard(process::beginExit);
		}
		for (JavaProcess process : live) {
			guard(process::finishExit);
		}
		for (Runnable cleanup : cleanups) {
			guard(cleanup);
		}
	}

	private static void guard(Runnable action) {
		try {
			action.run();
		}
		catch (Throwable ex) {
			// logging may already be shut down in a shutdown hook
			System.err.println("[failover-testkit-reaper] cleanup failed: " + ex);
		}
	}

}

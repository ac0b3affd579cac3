package dev.failover.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

import dev.failover.core.HandoverRehearsal;
import dev.failover.core.Durations;
import dev.failover.core.RoleChangeListener;
import dev.failover.core.Watcher;
import dev.failover.core.spi.FailoverClock;

/**
 * Starts the watcher once the application is ready and leaves the group first when it
 * stops.
 * <p>
 * Its phase is above that of the web server and of Kafka listener containers, so it starts
 * after them and stops before them: a primary hands its role over (stops acting, then
 * announces its departure) while the application and its Kafka clients are still fully up.
 * Registers the {@link RoleChangeListener} beans on the watcher before starting it.
 * <p>
 * When the application context closes, the handover starts at once, with the first
 * {@link ContextClosedEvent} listener, rather than when the lifecycle phases reach this
 * one: a shutting-down primary stops acting and hands over before the rest of the close
 * runs. That listener holds the rest of the close until the successor has taken over (at
 * most one heartbeat interval), so that its work does not compete with the successor for
 * the CPU; {@link #stop(Runnable)} waits for the whole departure as before.
 * <p>
 * While running, it also holds a JVM shutdown hook that starts the same handover. On a
 * {@code SIGTERM} the JVM starts every shutdown hook at once; this one hands over without
 * waiting for Spring's hook to reach the context's close listeners, and it hands over even
 * when Spring's hook is off ({@code spring.main.register-shutdown-hook=false}) and nothing
 * closes the context. It waits for the handover (at most the shutdown timeout), so that the
 * JVM does not halt before the notice is written. The hook is removed when the lifecycle
 * stops.
 * <p>
 * When the watcher starts with failover enabled, a {@link HandoverRehearsal} runs on a
 * daemon thread ({@code failover.rehearse-handover}), so that the first real handover of this
 * process runs warm code; stopping interrupts it if it is still running.
 */
public class FailoverLifecycle
		implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, ApplicationContextAware, Ordered {

	/** The phase: started after, and stopped before, web servers and Kafka listeners. */
	public static final int PHASE = Integer.MAX_VALUE - 50;

	private static final Log logger = LogFactory.getLog(FailoverLifecycle.class);

	private static final Duration REHEARSAL_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration REHEARSAL_JOIN = Duration.ofSeconds(1);

	private final Watcher watcher;

	private final List<RoleChangeListener> listeners;

	private final Duration shutdownTimeout;

	private final boolean rehearseHandover;

	private volatile boolean running;

	private ApplicationContext context;

	private Thread shutdownHook;

	private Thread rehearsal;

	/**
	 * Creates the bridge, with a start-up {@link HandoverRehearsal}.
	 * @param watcher the watcher
	 * @param listeners listeners to register before starting
	 * @param shutdownTimeout how long stopping waits for the handover announcement
	 */
	public FailoverLifecycle(Watcher watcher, List<RoleChangeListener> listeners, Duration shutdownTimeout) {
		this(watcher, listeners, shutdownTimeout, true);
	}

	/**
	 * Creates the bridge.
	 * @param watcher the watcher
	 * @param listeners listeners to register before starting
	 * @param shutdownTimeout how long stopping waits for the handover announcement
	 * @param rehearseHandover whether to run a {@link HandoverRehearsal} when the watcher
	 * starts with failover enabled
	 */
	public FailoverLifecycle(Watcher watcher, List<RoleChangeListener> listeners, Duration shutdownTimeout,
			boolean rehearseHandover) {
		this.watcher = watcher;
		this.listeners = listeners;
		this.shutdownTimeout = shutdownTimeout;
		this.rehearseHandover = rehearseHandover;
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		for (RoleChangeListener listener : this.listeners) {
			this.watcher.addListener(listener);
		}
		if (this.watcher.state() == Watcher.State.LATENT) {
			this.watcher.start();
		}
		this.running = true;
		if (this.watcher.state() != Watcher.State.STARTED) {
			// started again after a stop: the watcher has left for good
			return;
		}
		addShutdownHook();
		if (this.rehearseHandover && this.watcher.config().enabled()) {
			startRehearsal();
		}
	}

	private synchronized void startRehearsal() {
		Thread thread = new Thread(this::rehearse, "failover-rehearsal");
		thread.setDaemon(true);
		this.rehearsal = thread;
		thread.start();
	}

	/** Stops a rehearsal still running (it closes its watchers when interrupted). */
	private void stopRehearsal() {
		Thread thread;
		synchronized (this) {
			thread = this.rehearsal;
			this.rehearsal = null;
		}
		if (thread != null && thread.isAlive()) {
			thread.interrupt();
			try {
				thread.join(REHEARSAL_JOIN.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private void rehearse() {
		HandoverRehearsal.Outcome outcome;
		try {
			outcome = HandoverRehearsal.run(this.watcher.config(), REHEARSAL_TIMEOUT);
		}
		catch (Throwable ex) {
			logger.info("Handover rehearsal failed; this instance's first handover will run colder code, nothing else "
					+ "changes", ex);
			return;
		}
		if (outcome.completed()) {
			if (logger.isDebugEnabled()) {
				logger.debug("Rehearsed a switchover and a graceful handover in " + outcome.took().toMillis() + " ms");
			}
		}
		else if (!Thread.currentThread().isInterrupted()) {
			// (interrupted: the application is stopping, nothing to say)
			logger.info("Handover rehearsal stopped (" + outcome.detail()
					+ "); this instance's first handover will run colder code, nothing else changes");
		}
	}

	private synchronized void addShutdownHook() {
		if (this.shutdownHook != null) {
			return;
		}
		Thread hook = new Thread(() -> this.watcher.shutdown(this.shutdownTimeout), "failover-shutdown-hook");
		try {
			Runtime.getRuntime().addShutdownHook(hook);
			this.shutdownHook = hook;
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down: the context's close hands over
		}
	}

	private synchronized void removeShutdownHook() {
		Thread hook = this.shutdownHook;
		if (hook == null) {
			return;
		}
		this.shutdownHook = null;
		try {
			Runtime.getRuntime().removeShutdownHook(hook);
		}
		catch (IllegalStateException ex) {
			// the JVM is shutting down, and the hook may be running: it leaves with this close
		}
	}

	/**
	 * Returns the JVM shutdown hook this lifecycle holds while running.
	 * @return the hook, or {@code null} when not running
	 */
	synchronized Thread shutdownHook() {
		return this.shutdownHook;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts leaving the group as soon as this application's context begins to close, and
	 * holds the rest of the close until the successor has taken over (at most one heartbeat
	 * interval).
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (this.running && event.getApplicationContext() == this.context) {
			CompletableFuture<Void> left = this.watcher.shutdownAsync();
			// the rest of the close (other listeners, lifecycle beans, destroying beans) would
			// take the CPU from the successor while it reads the notice: hold it until the
			// handover is over, for at most one heartbeat interval (stop waits longer anyway)
			try {
				FailoverClock.system().await(left, this.watcher.config().heartbeatInterval());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (ExecutionException | TimeoutException ex) {
				// stop(callback) waits for the rest and reports it
			}
		}
	}

	/**
	 * Runs before the other listeners of the context's close.
	 * @return {@link Ordered#HIGHEST_PRECEDENCE}
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	@Override
	public void stop() {
		this.running = false;
		removeShutdownHook();
		this.watcher.shutdown(this.shutdownTimeout);
		// after the handover, which must not wait for a rehearsal to wind down
		stopRehearsal();
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		removeShutdownHook();
		long started = System.nanoTime();
		CompletableFuture<Void> left = this.watcher.shutdownAsync();
		// once the handover is under way, which must not wait for a rehearsal to wind down
		stopRehearsal();
		left.orTimeout(this.shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)
			.whenComplete((result, error) -> {
				if (error != null) {
					logger.warn("Failover watcher did not leave its group within "
							+ Durations.format(this.shutdownTimeout) + "; stopping anyway");
					this.watcher.closeAbruptly();
				}
				else if (logger.isDebugEnabled()) {
					logger.debug("Failover watcher left its group in "
							+ Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms");
				}
				callback.run();
			});
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}

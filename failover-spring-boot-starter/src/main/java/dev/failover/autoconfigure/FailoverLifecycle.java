package dev.failover.autoconfigure;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

import dev.failover.core.RoleChangeListener;
import dev.failover.core.Watcher;

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
 * runs, and {@link #stop(Runnable)} waits for that handover as before.
 */
public class FailoverLifecycle
		implements SmartLifecycle, ApplicationListener<ContextClosedEvent>, ApplicationContextAware, Ordered {

	/** The phase: started after, and stopped before, web servers and Kafka listeners. */
	public static final int PHASE = Integer.MAX_VALUE - 50;

	private static final Log logger = LogFactory.getLog(FailoverLifecycle.class);

	private final Watcher watcher;

	private final List<RoleChangeListener> listeners;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	private ApplicationContext context;

	/**
	 * Creates the bridge.
	 * @param watcher the watcher
	 * @param listeners listeners to register before starting
	 * @param shutdownTimeout how long stopping waits for the handover announcement
	 */
	public FailoverLifecycle(Watcher watcher, List<RoleChangeListener> listeners, Duration shutdownTimeout) {
		this.watcher = watcher;
		this.listeners = listeners;
		this.shutdownTimeout = shutdownTimeout;
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
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * Starts leaving the group as soon as this application's context begins to close.
	 * @param event the event
	 */
	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (this.running && event.getApplicationContext() == this.context) {
			this.watcher.shutdownAsync();
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
		this.watcher.shutdown(this.shutdownTimeout);
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		long started = System.nanoTime();
		this.watcher.shutdownAsync()
			.orTimeout(this.shutdownTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
			.whenComplete((result, error) -> {
				if (error != null) {
					logger.warn("Failover watcher did not leave its group within " + this.shutdownTimeout
							+ "; stopping anyway");
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

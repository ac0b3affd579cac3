package dev.failover.test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.context.SmartLifecycle;

import dev.failover.internal.FailoverLifecycle;
import dev.failover.core.FailoverConfig;
import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.core.testing.InMemoryLog;

/**
 * Drives this application's failover role from a test, through the real protocol: a second
 * member of the group, the peer, runs in-process on the same in-memory log, and each method
 * makes one member hand over to the other, or the peer crash, then waits until the change has
 * happened and its {@link dev.failover.event.RoleChangedEvent} has been delivered.
 * <p>
 * The peer starts before the application's watcher and is elected on the empty log, so the
 * context starts with this instance secondary: nothing {@code @PrimaryOnly} runs until a test
 * calls {@link #becomePrimary()}. Contexts are cached and shared between tests, and the role
 * with them: a test sets the role it needs first.
 * <p>
 * Each method waits at most ten seconds plus three heartbeat timeouts, then throws an
 * {@link IllegalStateException} that shows both members' status. Call the methods from the
 * test's thread; they are not meant to run concurrently with each other.
 */
public class FailoverTestSupport implements SmartLifecycle {

	/** The phase: started before, and stopped after, the application's watcher. */
	public static final int PHASE = FailoverLifecycle.PHASE - 1;

	/** The peer's instance id (with {@code -2} appended if the application uses it). */
	public static final String PEER_ID = "failover-test-peer";

	private static final long POLL_MILLIS = 5;

	private final Watcher watcher;

	private final InMemoryLog log;

	private final RecordingRoleChangedEventPublisher events;

	private final String peerId;

	private final Duration timeout;

	private Watcher peer;

	private volatile boolean running;

	/**
	 * Creates the support.
	 * @param watcher the application's watcher, connected to {@code log}
	 * @param log the in-memory log the peer connects to
	 * @param events the publisher of the application's role-change events
	 */
	public FailoverTestSupport(Watcher watcher, InMemoryLog log, RecordingRoleChangedEventPublisher events) {
		this.watcher = watcher;
		this.log = log;
		this.events = events;
		this.peerId = PEER_ID.equals(watcher.instanceId()) ? PEER_ID + "-2" : PEER_ID;
		this.timeout = Duration.ofSeconds(10).plus(watcher.config().heartbeatTimeout().multipliedBy(3));
	}

	/**
	 * Makes this instance primary: the peer hands the role over to it (a switchover), or, if
	 * the peer has crashed, this instance claims it after the heartbeat timeout. Returns once
	 * this instance is primary and its promotion event has been delivered; at once if it
	 * already is.
	 * @throws IllegalStateException if that does not happen in time
	 */
	public synchronized void becomePrimary() {
		requireEnabled("becomePrimary()");
		long deadline = deadline();
		long handedOverAt = -1;
		while (!isPrimaryAndHeard()) {
			Watcher current = this.peer;
			if (current != null && current.isPrimary() && current.epoch() > handedOverAt
					&& knows(current, this.watcher.instanceId())) {
				if (Boolean.TRUE.equals(await(current.switchover(this.watcher.instanceId()), deadline,
						"the peer to hand the role over to this instance"))) {
					handedOverAt = current.epoch();
				}
			}
			pause(deadline, "this instance to become primary");
		}
	}

	/**
	 * Makes this instance secondary: it hands the role over to the peer (a switchover, as an
	 * operator's would be), starting a peer first if the last one crashed. Returns once the
	 * peer is primary, this instance knows it, and this instance's demotion event (if it was
	 * primary) has been delivered; at once if that is already so.
	 * @throws IllegalStateException if that does not happen in time
	 */
	public synchronized void becomeSecondary() {
		requireEnabled("becomeSecondary()");
		long deadline = deadline();
		Watcher current = peer();
		long handedOverAt = -1;
		while (!isSecondaryAndHeard(current)) {
			if (this.watcher.isPrimary() && this.watcher.epoch() > handedOverAt && knows(this.watcher, this.peerId)) {
				if (Boolean.TRUE.equals(await(this.watcher.switchover(this.peerId), deadline,
						"this instance to hand the role over to the peer"))) {
					handedOverAt = this.watcher.epoch();
				}
			}
			pause(deadline, "the peer to take over from this instance");
		}
	}

	/**
	 * Crashes the peer, which must be primary: it stops without a word, and this instance
	 * claims the role once it has heard nothing for the heartbeat timeout. Returns once this
	 * instance is primary and its promotion event has been delivered. The next
	 * {@link #becomeSecondary()} starts a new peer.
	 * @throws IllegalStateException if the peer is not primary, or this instance does not
	 * take over in time
	 */
	public synchronized void crashPeer() {
		requireEnabled("crashPeer()");
		Watcher current = this.peer;
		if (current == null || !current.isPrimary()) {
			throw new IllegalStateException("Cannot crash the primary peer: "
					+ ((current == null) ? "no peer is running" : "the peer is not primary")
					+ "; call becomeSecondary() first. " + describe());
		}
		current.closeAbruptly();
		this.peer = null;
		long deadline = deadline();
		while (!isPrimaryAndHeard()) {
			pause(deadline, "this instance to take over from the crashed peer");
		}
	}

	/**
	 * Returns the application's watcher.
	 * @return the watcher
	 */
	public Watcher watcher() {
		return this.watcher;
	}

	/**
	 * Returns the instance id of the peer.
	 * @return the id
	 */
	public String peerId() {
		return this.peerId;
	}

	/**
	 * Returns this instance's role changes whose events have been delivered, oldest first.
	 * @return an immutable copy
	 */
	public List<RoleChange> roleChanges() {
		return this.events.delivered();
	}

	/**
	 * Starts the peer and waits until it is elected, so that the application's watcher,
	 * started next, joins as a secondary.
	 */
	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		if (!this.watcher.isEnabled()) {
			return;
		}
		Watcher current = peer();
		long deadline = deadline();
		while (!current.isPrimary()) {
			pause(deadline, "the peer to be elected on the empty log");
		}
	}

	/**
	 * Stops the peer, once the application's watcher has left the group.
	 */
	@Override
	public synchronized void stop() {
		this.running = false;
		if (this.peer != null) {
			this.peer.closeAbruptly();
			this.peer = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	private boolean isPrimaryAndHeard() {
		RoleChange last = this.events.lastDelivered();
		return this.watcher.isPrimary() && last != null && last.isPromotion() && last.epoch() == this.watcher.epoch();
	}

	private boolean isSecondaryAndHeard(Watcher current) {
		RoleChange last = this.events.lastDelivered();
		return !this.watcher.isPrimary() && current.isPrimary()
				&& this.peerId.equals(this.watcher.primaryId().orElse(null)) && (last == null || last.isDemotion());
	}

	/** Returns the running peer, starting one if there is none. */
	private Watcher peer() {
		if (this.peer == null) {
			// the application's own settings (signing keys included), so that each accepts
			// the other's records; preferring primary only matters for the first election
			FailoverConfig config = this.watcher.config().toBuilder().enabled(true).role(Role.PRIMARY).priority(0).build();
			Watcher started = Watcher.builder()
				.group(this.watcher.group())
				.instanceId(this.peerId)
				.transport(this.log.connect(this.peerId))
				.config(config)
				.build();
			started.start();
			this.peer = started;
		}
		return this.peer;
	}

	private static boolean knows(Watcher watcher, String instanceId) {
		return watcher.members().stream().anyMatch((member) -> member.instanceId().equals(instanceId) && !member.self());
	}

	private void requireEnabled(String method) {
		if (!this.watcher.isEnabled()) {
			throw new IllegalStateException("Cannot " + method + ": failover is disabled for this application; "
					+ "annotate the test with @AutoConfigureFailover, which enables it");
		}
	}

	private long deadline() {
		return System.nanoTime() + this.timeout.toNanos();
	}

	private void pause(long deadline, String what) {
		if (System.nanoTime() - deadline >= 0) {
			throw new IllegalStateException("Waited " + this.timeout.toMillis() + " ms for " + what + ". " + describe());
		}
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + what, ex);
		}
	}

	private <T> T await(CompletableFuture<T> future, long deadline, String what) {
		try {
			return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Waited " + this.timeout.toMillis() + " ms for " + what + ". " + describe());
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException(what + " failed. " + describe(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for " + what, ex);
		}
	}

	private String describe() {
		Watcher current = this.peer;
		return "This instance: " + this.watcher.formatStatus() + "; peer: "
				+ ((current != null) ? current.formatStatus() : "none") + "; role changes delivered: "
				+ this.events.delivered();
	}

}

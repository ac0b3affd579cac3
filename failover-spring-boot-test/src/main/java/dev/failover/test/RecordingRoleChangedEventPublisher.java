package dev.failover.test;

import java.util.ArrayList;
import java.util.List;

import org.springframework.context.ApplicationEventPublisher;

import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;
import dev.failover.event.RoleChangedEventPublisher;

/**
 * The starter's {@link RoleChangedEventPublisher}, which also records every change whose
 * {@link dev.failover.event.RoleChangedEvent} it has published, so that a test can wait until
 * the application's listeners have heard of a change.
 * <p>
 * A change is recorded once {@code publishEvent} has returned: every synchronous
 * {@code @EventListener} has run by then (an {@code @Async} one may still be running).
 */
public class RecordingRoleChangedEventPublisher extends RoleChangedEventPublisher {

	private final List<RoleChange> delivered = new ArrayList<>();

	/**
	 * Creates a publisher.
	 * @param watcher the watcher, source of the events
	 * @param publisher where to publish them
	 */
	public RecordingRoleChangedEventPublisher(Watcher watcher, ApplicationEventPublisher publisher) {
		super(watcher, publisher);
	}

	@Override
	public void onRoleChange(RoleChange change) {
		super.onRoleChange(change);
		synchronized (this.delivered) {
			this.delivered.add(change);
		}
	}

	/**
	 * Returns the changes published so far, oldest first.
	 * @return an immutable copy
	 */
	public List<RoleChange> delivered() {
		synchronized (this.delivered) {
			return List.copyOf(this.delivered);
		}
	}

	/**
	 * Returns the latest change published.
	 * @return the change, or {@code null} if none yet
	 */
	public RoleChange lastDelivered() {
		synchronized (this.delivered) {
			return this.delivered.isEmpty() ? null : this.delivered.get(this.delivered.size() - 1);
		}
	}

}

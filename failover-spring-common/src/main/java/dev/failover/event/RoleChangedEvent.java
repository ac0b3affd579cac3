package dev.failover.event;

import java.time.Duration;
import java.time.Instant;

import org.springframework.context.ApplicationEvent;

import dev.failover.core.Role;
import dev.failover.core.RoleChange;
import dev.failover.core.Watcher;

/**
 * Published when this instance's failover role changes: listen with
 * {@code @EventListener}.
 * <p>
 * Published on the watcher's callback thread, never on its event loop, in the order the
 * changes happened. By the time a listener runs, the role may already have changed again:
 * check {@link Watcher#isPrimary()} before acting.
 */
public class RoleChangedEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final transient RoleChange change;

	/**
	 * Creates an event.
	 * @param watcher the watcher whose role changed (the event source)
	 * @param change the change
	 */
	public RoleChangedEvent(Watcher watcher, RoleChange change) {
		super(watcher);
		this.change = change;
	}

	/**
	 * Returns the role before the change.
	 * @return the old role
	 */
	public Role getOldRole() {
		return this.change.oldRole();
	}

	/**
	 * Returns the role after the change.
	 * @return the new role
	 */
	public Role getNewRole() {
		return this.change.newRole();
	}

	/**
	 * Returns the epoch taken (promotion) or left (demotion); usable as a fencing token.
	 * @return the epoch
	 */
	public long getEpoch() {
		return this.change.epoch();
	}

	/**
	 * Returns this instance's id.
	 * @return the instance id
	 */
	public String getInstanceId() {
		return this.change.instanceId();
	}

	/**
	 * Returns the failover group.
	 * @return the group
	 */
	public String getGroup() {
		return this.change.group();
	}

	/**
	 * Returns why the role changed, for humans.
	 * @return the reason
	 */
	public String getReason() {
		return this.change.reason();
	}

	/**
	 * Returns why the role changed, for programs.
	 * @return the cause
	 */
	public RoleChange.Cause getCause() {
		return this.change.cause();
	}

	/**
	 * Returns when the change happened on this instance.
	 * @return the time
	 */
	public Instant getChangedAt() {
		return this.change.at();
	}

	/**
	 * Returns, for a promotion, how long after the previous primary's last sign of life it
	 * happened.
	 * @return the duration, or {@code null}
	 */
	public Duration getSinceLastHeartbeat() {
		return this.change.sinceLastHeartbeat();
	}

	/**
	 * Returns whether this instance became primary.
	 * @return {@code true} for a promotion
	 */
	public boolean isPromotion() {
		return this.change.isPromotion();
	}

	/**
	 * Returns whether this instance stopped being primary.
	 * @return {@code true} for a demotion
	 */
	public boolean isDemotion() {
		return this.change.isDemotion();
	}

	/**
	 * Returns the underlying change.
	 * @return the change
	 */
	public RoleChange getChange() {
		return this.change;
	}

	@Override
	public String toString() {
		return "RoleChangedEvent[" + this.change + "]";
	}

}

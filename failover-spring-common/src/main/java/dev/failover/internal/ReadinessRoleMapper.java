package dev.failover.internal;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

import dev.failover.core.RoleChange;
import dev.failover.core.RoleChangeListener;
import dev.failover.core.Watcher;

/**
 * Maps the role onto the application's readiness state, so that only the primary accepts
 * traffic: the primary is {@link ReadinessState#ACCEPTING_TRAFFIC}, secondaries
 * {@link ReadinessState#REFUSING_TRAFFIC} (opt-in with {@code failover.readiness.enabled}).
 * <p>
 * Boot itself declares the application {@code ACCEPTING_TRAFFIC} right after the
 * {@link org.springframework.boot.context.event.ApplicationReadyEvent}, and anything else may
 * do so later: each time readiness changes to accepting while this instance is not primary,
 * the mapper corrects it at once, in the same event's dispatch.
 */
public class ReadinessRoleMapper implements RoleChangeListener, ApplicationListener<AvailabilityChangeEvent<?>> {

	private final Watcher watcher;

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates a mapper.
	 * @param watcher the watcher
	 * @param publisher where to publish availability changes
	 */
	public ReadinessRoleMapper(Watcher watcher, ApplicationEventPublisher publisher) {
		this.watcher = watcher;
		this.publisher = publisher;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && event.getSource() != this.watcher
				&& !this.watcher.isPrimary()) {
			AvailabilityChangeEvent.publish(this.publisher, this.watcher, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	@Override
	public void onRoleChange(RoleChange change) {
		AvailabilityChangeEvent.publish(this.publisher, this.watcher,
				this.watcher.isPrimary() ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC);
	}

}

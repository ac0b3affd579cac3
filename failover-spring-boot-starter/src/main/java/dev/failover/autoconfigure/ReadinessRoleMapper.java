package dev.failover.autoconfigure;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

import dev.failover.core.RoleChange;
import dev.failover.core.RoleChangeListener;
import dev.failover.core.Watcher;

/**
 * Maps the role onto the application's readiness state, so that only the primary accepts
 * traffic: the primary is {@link ReadinessState#ACCEPTING_TRAFFIC}, secondaries
 * {@link ReadinessState#REFUSING_TRAFFIC} (opt-in with {@code failover.readiness.enabled}).
 */
public class ReadinessRoleMapper implements RoleChangeListener, ApplicationListener<ApplicationReadyEvent> {

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
	public void onApplicationEvent(ApplicationReadyEvent event) {
		// Boot declares the application ready once it started; correct it for a secondary
		publish();
	}

	@Override
	public void onRoleChange(RoleChange change) {
		publish();
	}

	private void publish() {
		AvailabilityChangeEvent.publish(this.publisher, this.watcher,
				this.watcher.isPrimary() ? ReadinessState.ACCEPTING_TRAFFIC : ReadinessState.REFUSING_TRAFFIC);
	}

}

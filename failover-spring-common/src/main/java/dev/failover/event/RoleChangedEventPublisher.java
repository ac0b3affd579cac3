package dev.failover.event;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;

import dev.failover.core.RoleChange;
import dev.failover.core.RoleChangeListener;
import dev.failover.core.Watcher;

/**
 * Bridges a watcher's role changes to {@link RoleChangedEvent}s. A failing
 * {@code @EventListener} is logged and never stops the others or the watcher.
 */
public class RoleChangedEventPublisher implements RoleChangeListener {

	private static final Log logger = LogFactory.getLog(RoleChangedEventPublisher.class);

	private final Watcher watcher;

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates a publisher.
	 * @param watcher the watcher, source of the events
	 * @param publisher where to publish them
	 */
	public RoleChangedEventPublisher(Watcher watcher, ApplicationEventPublisher publisher) {
		this.watcher = watcher;
		this.publisher = publisher;
	}

	@Override
	public void onRoleChange(RoleChange change) {
		RoleChangedEvent event = new RoleChangedEvent(this.watcher, change);
		try {
			this.publisher.publishEvent(event);
		}
		catch (RuntimeException ex) {
			logger.error("A listener of " + event + " failed", ex);
		}
	}

}

package dev.failover.compat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.failover.event.RoleChangedEvent;

/**
 * The role changes that reached this application through {@code @EventListener}, in the
 * order they arrived.
 */
@Component
public class RoleEvents {

	private final List<RoleChangedEvent> received = new CopyOnWriteArrayList<>();

	@EventListener
	public void onRoleChanged(RoleChangedEvent event) {
		this.received.add(event);
	}

	/**
	 * Returns the events received so far.
	 * @return a snapshot, oldest first
	 */
	public List<RoleChangedEvent> received() {
		return List.copyOf(this.received);
	}

}

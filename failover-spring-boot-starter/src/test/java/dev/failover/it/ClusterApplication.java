package dev.failover.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

import dev.failover.event.RoleChangedEvent;

/**
 * An application as a user would write it: the starter, and an {@code @EventListener}.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class ClusterApplication {

	@Bean
	RoleEvents roleEvents() {
		return new RoleEvents();
	}

	/** Records the role changes this application heard of. */
	static class RoleEvents {

		final List<RoleChangedEvent> events = new CopyOnWriteArrayList<>();

		@EventListener
		void onRoleChanged(RoleChangedEvent event) {
			this.events.add(event);
		}

		List<RoleChangedEvent> promotions() {
			return this.events.stream().filter(RoleChangedEvent::isPromotion).toList();
		}

	}

}

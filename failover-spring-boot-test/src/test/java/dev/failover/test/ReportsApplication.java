package dev.failover.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

import dev.failover.event.RoleChangedEvent;
import dev.failover.primary.PrimaryOnly;

/**
 * A small application as a user would write it: a primary-only job and a listener of role
 * changes.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ ReportsApplication.Reports.class, ReportsApplication.RoleEvents.class })
class ReportsApplication {

	/** Publishes reports, on the primary only. */
	static class Reports {

		private final AtomicInteger published = new AtomicInteger();

		@PrimaryOnly
		public boolean publish() {
			this.published.incrementAndGet();
			return true;
		}

		int published() {
			return this.published.get();
		}

	}

	/** Hears every role change. */
	static class RoleEvents {

		private final List<RoleChangedEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void onRoleChanged(RoleChangedEvent event) {
			this.received.add(event);
		}

		List<RoleChangedEvent> received() {
			return List.copyOf(this.received);
		}

		RoleChangedEvent last() {
			List<RoleChangedEvent> all = received();
			return all.isEmpty() ? null : all.get(all.size() - 1);
		}

	}

}

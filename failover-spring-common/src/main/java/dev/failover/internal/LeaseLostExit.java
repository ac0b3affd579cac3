package dev.failover.internal;

import java.util.function.IntConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;

import dev.failover.core.RoleChange;
import dev.failover.core.RoleChangeListener;

/**
 * Exits the application when its primary lease lapses ({@code failover.on-lease-lost=exit}):
 * for services whose primary-only work cannot be stopped cleanly, a restart is the safest
 * way to be sure nothing of it goes on.
 */
public class LeaseLostExit implements RoleChangeListener {

	private static final Log logger = LogFactory.getLog(LeaseLostExit.class);

	private final ApplicationContext context;

	private final IntConsumer exit;

	/**
	 * Creates a listener that exits the JVM.
	 * @param context the application context to close first
	 */
	public LeaseLostExit(ApplicationContext context) {
		this(context, System::exit);
	}

	LeaseLostExit(ApplicationContext context, IntConsumer exit) {
		this.context = context;
		this.exit = exit;
	}

	@Override
	public void onRoleChange(RoleChange change) {
		if (change.cause() != RoleChange.Cause.LEASE_EXPIRED) {
			return;
		}
		logger.error("Exiting: the primary lease of instance '" + change.instanceId() + "' lapsed ("
				+ change.reason() + ") and failover.on-lease-lost=exit");
		Thread exiter = new Thread(() -> this.exit.accept(SpringApplication.exit(this.context, () -> 1)),
				"failover-lease-lost-exit");
		exiter.setDaemon(false);
		exiter.start();
	}

}

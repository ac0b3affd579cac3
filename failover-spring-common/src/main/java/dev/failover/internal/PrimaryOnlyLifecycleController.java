package dev.failover.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.context.Lifecycle;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.kafka.listener.ListenerContainerRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.ClassUtils;

import dev.failover.core.FailoverConfigException;
import dev.failover.core.Watcher;

/**
 * Starts the components that must run only on the primary when this instance is promoted,
 * and stops them when it is demoted: {@link Lifecycle} beans named in
 * {@code failover.primary-only.lifecycle-beans}, and Kafka listener containers whose ids are
 * in {@code failover.primary-only.kafka-listeners}.
 * <p>
 * Promotion waits for the components to start: if one fails, the instance refuses the
 * primary role and retries later. On demotion, they are stopped before the old primary
 * announces its departure. Early in the application's start (its phase is the lowest), it
 * keeps the named listener containers from starting on their own; once the context is
 * refreshed, it runs the components if (and only if) the instance is primary, stopping any
 * named bean that started on its own on a secondary, with a warning.
 */
public class PrimaryOnlyLifecycleController
		implements SmartLifecycle, ApplicationListener<ContextRefreshedEvent> {

	private static final Log logger = LogFactory.getLog(PrimaryOnlyLifecycleController.class);

	private static final boolean KAFKA_PRESENT = ClassUtils.isPresent(
			"org.springframework.kafka.listener.ListenerContainerRegistry",
			PrimaryOnlyLifecycleController.class.getClassLoader());

	private final BeanFactory beanFactory;

	private final Supplier<Watcher> watcher;

	private final List<String> beanNames;

	private final List<String> listenerIds;

	private volatile boolean running;

	/** Whether the promote callback ran more recently than the demote callback. */
	private boolean promoted;

	/**
	 * Creates a controller.
	 * @param beanFactory where to find the beans and the listener registry
	 * @param watcher supplies the watcher, on first use
	 * @param beanNames names of lifecycle beans to control
	 * @param listenerIds ids of Kafka listener containers to control
	 */
	public PrimaryOnlyLifecycleController(BeanFactory beanFactory, Supplier<Watcher> watcher, List<String> beanNames,
			List<String> listenerIds) {
		this.beanFactory = beanFactory;
		this.watcher = watcher;
		this.beanNames = List.copyOf(beanNames);
		this.listenerIds = List.copyOf(listenerIds);
	}

	/**
	 * Returns whether anything is controlled.
	 * @return {@code true} if some beans or listeners are named
	 */
	public boolean hasComponents() {
		return !this.beanNames.isEmpty() || !this.listenerIds.isEmpty();
	}

	/**
	 * Applies this controller's callbacks to a watcher builder.
	 * @param builder the builder
	 */
	public void applyTo(Watcher.Builder builder) {
		builder.onPromote((epoch) -> promote()).onDemote((epoch) -> demote());
	}

	synchronized void promote() {
		this.promoted = true;
		try {
			startAll();
		}
		catch (RuntimeException ex) {
			// refuse the promotion with nothing left half-started
			this.promoted = false;
			stopAll();
			throw ex;
		}
	}

	synchronized void demote() {
		this.promoted = false;
		stopAll();
	}

	/** Checks the names and keeps listener containers from starting before a promotion. */
	@Override
	public void start() {
		for (MessageListenerContainer container : containers()) {
			container.setAutoStartup(false);
		}
		for (Lifecycle bean : beans()) {
			if (bean instanceof SmartLifecycle smart && smart.isAutoStartup()) {
				logger.warn("Primary-only bean " + bean + " starts on its own (isAutoStartup() is true); it will be "
						+ "stopped when failover starts unless this instance is primary");
			}
		}
		this.running = true;
	}

	/**
	 * Runs the components if the instance is primary once the context is up (a static
	 * primary with failover disabled, or a fast election), and stops any that started on
	 * their own otherwise.
	 * @param event the refresh event
	 */
	@Override
	public synchronized void onApplicationEvent(ContextRefreshedEvent event) {
		if (!hasComponents()) {
			return;
		}
		if (this.promoted || this.watcher.get().isPrimary()) {
			startAll();
		}
		else {
			stopAll();
		}
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return Integer.MIN_VALUE + 100;
	}

	void startAll() {
		for (Lifecycle bean : beans()) {
			if (!bean.isRunning()) {
				bean.start();
			}
		}
		for (MessageListenerContainer container : containers()) {
			if (!container.isRunning()) {
				container.start();
			}
		}
		logger.info("Started primary-only components " + this.beanNames + " " + this.listenerIds);
	}

	void stopAll() {
		RuntimeException failure = null;
		for (MessageListenerContainer container : containers()) {
			try {
				if (container.isRunning()) {
					container.stop();
				}
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		for (Lifecycle bean : beans()) {
			try {
				if (bean.isRunning()) {
					bean.stop();
				}
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	private List<Lifecycle> beans() {
		List<Lifecycle> beans = new ArrayList<>();
		for (String name : this.beanNames) {
			try {
				beans.add(this.beanFactory.getBean(name, Lifecycle.class));
			}
			catch (NoSuchBeanDefinitionException ex) {
				throw new FailoverConfigException("primary-only.lifecycle-beans",
						"there is no Lifecycle bean named '" + name + "'.",
						"Name beans that implement Lifecycle (or SmartLifecycle), or remove '" + name + "'.");
			}
		}
		return beans;
	}

	private List<MessageListenerContainer> containers() {
		if (this.listenerIds.isEmpty()) {
			return List.of();
		}
		if (!KAFKA_PRESENT) {
			throw new FailoverConfigException("primary-only.kafka-listeners", "spring-kafka is not on the classpath.",
					"Add spring-kafka, or remove failover.primary-only.kafka-listeners.");
		}
		return KafkaContainers.find(this.beanFactory, this.listenerIds);
	}

	/** Isolates the spring-kafka types, which may be absent. */
	private static final class KafkaContainers {

		static List<MessageListenerContainer> find(BeanFactory beanFactory, List<String> ids) {
			ListenerContainerRegistry registry = beanFactory.getBeanProvider(ListenerContainerRegistry.class)
				.getIfAvailable();
			List<MessageListenerContainer> containers = new ArrayList<>();
			for (String id : ids) {
				MessageListenerContainer container = (registry != null) ? registry.getListenerContainer(id) : null;
				if (container == null) {
					throw new FailoverConfigException("primary-only.kafka-listeners",
							"there is no Kafka listener container with id '" + id + "'.",
							"Use the id of a @KafkaListener(id = \"...\"), or remove '" + id + "'.");
				}
				containers.add(container);
			}
			return containers;
		}

	}

}

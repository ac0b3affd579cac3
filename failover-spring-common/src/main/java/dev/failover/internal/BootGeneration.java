package dev.failover.internal;

import java.util.List;

import org.springframework.boot.SpringBootVersion;

import dev.failover.core.FailoverConfigException;

/**
 * A generation of Spring Boot, and the failover starter built for it. Each starter keeps
 * what its generation has in packages of its own (the Kafka properties and connection
 * details, the health API) in a package of its own; everything else is shared.
 */
public enum BootGeneration {

	/** Spring Boot 3.5. */
	BOOT_3("3", "failover-spring-boot3-starter", "dev.failover.boot3."),

	/**
	 * Spring Boot 4. Its starter depends on {@code spring-boot-starter-kafka}, whose modules
	 * are not in Spring Boot 3's dependency management: in a Boot 3 application they stay
	 * at 4.x and bring auto-configurations that cannot load there.
	 */
	BOOT_4("4", "failover-spring-boot-starter", "dev.failover.boot4.", "org.springframework.boot.kafka.",
			"org.springframework.boot.transaction.", "org.springframework.boot.persistence.");

	/** A class that only Spring Boot 4 has (Boot 3 keeps its namesake in the autoconfigure module). */
	private static final String BOOT_4_ONLY = "org/springframework/boot/thread/Threading.class";

	private final String name;

	private final String starter;

	private final String adapters;

	private final List<String> broughtModules;

	BootGeneration(String name, String starter, String adapters, String... broughtModules) {
		this.name = name;
		this.starter = starter;
		this.adapters = adapters;
		this.broughtModules = List.of(broughtModules);
	}

	/**
	 * Returns the generation of the Spring Boot an application runs.
	 * @param classLoader the application's class loader
	 * @return the generation
	 */
	public static BootGeneration running(ClassLoader classLoader) {
		return (classLoader.getResource(BOOT_4_ONLY) != null) ? BOOT_4 : BOOT_3;
	}

	/**
	 * Returns the other generation.
	 * @return Spring Boot 4 for Spring Boot 3, and the reverse
	 */
	public BootGeneration other() {
		return (this == BOOT_4) ? BOOT_3 : BOOT_4;
	}

	/**
	 * Returns the artifact id of this generation's starter.
	 * @return for instance {@code failover-spring-boot3-starter}
	 */
	public String starter() {
		return this.starter;
	}

	/**
	 * Returns whether this generation's starter is on a class path (found by its Kafka
	 * auto-configuration, without loading it).
	 * @param classLoader the class loader to look in
	 * @return whether the starter is there
	 */
	public boolean isStarterPresent(ClassLoader classLoader) {
		String marker = this.adapters + "FailoverKafkaAutoConfiguration";
		return classLoader.getResource(marker.replace('.', '/') + ".class") != null;
	}

	/**
	 * Returns whether an auto-configuration is one of this generation's starter, or one that
	 * this starter brings into an application of the other generation.
	 * @param autoConfiguration the auto-configuration's class name
	 * @return whether it comes with this generation's starter
	 */
	public boolean brings(String autoConfiguration) {
		return autoConfiguration.startsWith(this.adapters)
				|| this.broughtModules.stream().anyMatch(autoConfiguration::startsWith);
	}

	/**
	 * Returns the failure of an application of another generation that enables failover
	 * with this generation's starter on its class path.
	 * @param running the generation the application runs
	 * @param ownStarterPresent whether the running generation's starter is there too
	 * @return the exception to throw, naming the starter to use
	 */
	public FailoverConfigException wrongGeneration(BootGeneration running, boolean ownStarterPresent) {
		String version = SpringBootVersion.getVersion();
		String runs = (version != null) ? version : running.name + ".x";
		String description = "dev.failover:" + this.starter + " is the failover starter for Spring Boot " + this.name
				+ ", and this application runs Spring Boot " + runs + "; failover cannot run with it.";
		String action = (ownStarterPresent)
				? "Remove the dependency on dev.failover:" + this.starter + " (dev.failover:" + running.starter
						+ " is there too), or set failover.enabled=false."
				: "Depend on dev.failover:" + running.starter + " instead of dev.failover:" + this.starter
						+ " (the same failover.* properties), or set failover.enabled=false.";
		return new FailoverConfigException("enabled", description, action);
	}

}

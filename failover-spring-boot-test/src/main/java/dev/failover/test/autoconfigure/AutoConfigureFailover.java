package dev.failover.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.test.context.ContextCustomizerFactories;

import dev.failover.test.FailoverTestSupport;

/**
 * Annotation for a test class whose application context runs failover on an in-memory log
 * instead of Kafka, with a {@link FailoverTestSupport} bean to drive this instance's role.
 * <p>
 * Imports {@link FailoverTestAutoConfiguration} (the starter's Kafka transport backs off), and
 * sets for the test:
 * <ul>
 * <li>{@code failover.enabled=true}, over any other setting;</li>
 * <li>{@code failover.heartbeat-interval=200ms} and {@code failover.heartbeat-timeout=1s},
 * only when neither is set;</li>
 * <li>{@code failover.rehearse-handover=false} and {@code failover.group} (the application
 * name, else {@code failover-test}), only when unset.</li>
 * </ul>
 * Every other {@code failover.*} property is honoured as set; {@code failover.kafka.*} has
 * nothing to configure. The context starts with this instance secondary and an in-process
 * peer primary.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
@ContextCustomizerFactories(FailoverTestPropertiesCustomizerFactory.class)
public @interface AutoConfigureFailover {

}

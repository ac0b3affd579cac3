package dev.failover.primary;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method (or every public method of a class) that must run only on the primary
 * instance of the failover group, such as a {@code @Scheduled} job.
 * <p>
 * On a secondary, or on a primary whose lease has lapsed, the call is skipped: the method
 * is not invoked and the proxy returns {@code null} (or the primitive default). The check is
 * made at call time with {@link dev.failover.core.Watcher#isPrimary()}; a job that runs for
 * long should check it again between units of work.
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface PrimaryOnly {

}

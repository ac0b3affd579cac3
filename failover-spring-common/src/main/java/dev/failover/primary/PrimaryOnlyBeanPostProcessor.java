package dev.failover.primary;

import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.core.Ordered;

/**
 * Proxies beans that have {@link PrimaryOnly} methods, or the annotation on their class.
 * <p>
 * Runs before Spring's {@code @Scheduled} processing, so that scheduled jobs are invoked
 * through the proxy and skipped on secondaries.
 */
public class PrimaryOnlyBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a post-processor.
	 * @param interceptor the interceptor that checks the role
	 */
	public PrimaryOnlyBeanPostProcessor(PrimaryOnlyMethodInterceptor interceptor) {
		ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(PrimaryOnly.class, true))
			.union(new AnnotationMatchingPointcut(null, PrimaryOnly.class, true));
		this.advisor = new DefaultPointcutAdvisor(pointcut, interceptor);
		setProxyTargetClass(true);
		setBeforeExistingAdvisors(true);
		setOrder(Ordered.HIGHEST_PRECEDENCE + 100);
	}

}

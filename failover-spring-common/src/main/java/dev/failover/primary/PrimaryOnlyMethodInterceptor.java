package dev.failover.primary;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import dev.failover.core.Watcher;

/**
 * Invokes {@link PrimaryOnly} methods only while this instance is primary.
 */
public class PrimaryOnlyMethodInterceptor implements MethodInterceptor {

	private static final Log logger = LogFactory.getLog(PrimaryOnlyMethodInterceptor.class);

	private final Supplier<Watcher> watcherSupplier;

	private final LongAdder skipped = new LongAdder();

	private volatile Watcher watcher;

	/**
	 * Creates an interceptor.
	 * @param watcher supplies the watcher to ask, on first use (post-processors are created
	 * before the beans they process, so the watcher cannot be injected eagerly)
	 */
	public PrimaryOnlyMethodInterceptor(Supplier<Watcher> watcher) {
		this.watcherSupplier = watcher;
	}

	@Override
	public Object invoke(MethodInvocation invocation) throws Throwable {
		Watcher current = watcher();
		if (current.isPrimary()) {
			return invocation.proceed();
		}
		this.skipped.increment();
		if (logger.isDebugEnabled()) {
			logger.debug("Skipped @PrimaryOnly " + invocation.getMethod().getDeclaringClass().getSimpleName() + "."
					+ invocation.getMethod().getName() + "(): instance '" + current.instanceId() + "' is "
					+ current.role());
		}
		return defaultValue(invocation.getMethod().getReturnType());
	}

	/**
	 * Returns how many calls were skipped because this instance was not primary.
	 * @return the count
	 */
	public long skippedCount() {
		return this.skipped.sum();
	}

	private Watcher watcher() {
		Watcher current = this.watcher;
		if (current == null) {
			current = this.watcherSupplier.get();
			this.watcher = current;
		}
		return current;
	}

	private static Object defaultValue(Class<?> type) {
		if (!type.isPrimitive() || type == void.class) {
			return null;
		}
		if (type == boolean.class) {
			return false;
		}
		if (type == char.class) {
			return '\0';
		}
		if (type == long.class) {
			return 0L;
		}
		if (type == float.class) {
			return 0f;
		}
		if (type == double.class) {
			return 0d;
		}
		if (type == byte.class) {
			return (byte) 0;
		}
		if (type == short.class) {
			return (short) 0;
		}
		return 0;
	}

}

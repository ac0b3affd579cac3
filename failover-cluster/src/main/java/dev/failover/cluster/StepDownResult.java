package dev.failover.cluster;

import java.time.Duration;

/**
 * The answer to a step-down request ({@code POST /actuator/failover}
 * {@code {"action":"step-down"}}), which returns once the handover announcement is
 * acknowledged by the broker.
 *
 * @param outcome what the instance says it did, such as
 * {@code stepped down, a secondary takes over}
 * @param status the instance's status right after the step-down
 * @param sentNanos {@link System#nanoTime()} just before the request was sent
 * @param took how long the request took, from sending to the complete answer
 */
public record StepDownResult(String outcome, InstanceStatus status, long sentNanos, Duration took) {
}

package dev.failover.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka client settings failover needs, derived from the heartbeat interval and
 * timeout, to layer over an application's own producer and consumer settings (such as
 * Boot's {@code spring.kafka.*}).
 * <p>
 * They keep two promises: a record is acknowledged only once it cannot be lost (given a
 * properly replicated topic) and records of one writer stay in order; and a dead or
 * unreachable broker never holds anything up for long. The failover protocol is safe
 * whatever the client timeouts are (the primary's lease is measured from when it asked to
 * send a heartbeat), but a record that arrives after its purpose has passed is useless,
 * and a client that waits for minutes hides an outage that the group should see within a
 * heartbeat timeout.
 * <p>
 * {@link KafkaTransport} also enforces the settings it cannot work without, whatever the
 * maps say: byte-array (de)serializers, {@code acks=all} and idempotence, no consumer
 * group and no auto-commit, {@code auto.offset.reset=none}.
 */
public final class KafkaClientOverrides {

	private KafkaClientOverrides() {
	}

	/**
	 * Returns the producer settings failover needs:
	 * <ul>
	 * <li>{@code acks=all}, {@code enable.idempotence=true}, unbounded {@code retries} and at
	 * most 5 {@code max.in.flight.requests.per.connection}: a record is acknowledged only
	 * when every in-sync replica has it, and retries never reorder or duplicate records;</li>
	 * <li>{@code linger.ms=0}: heartbeats and claims are sent at once, not batched;</li>
	 * <li>{@code delivery.timeout.ms} = heartbeat timeout: a heartbeat or claim not
	 * acknowledged within a timeout is useless (the primary's lease has lapsed, a secondary
	 * has given up on its claim), so its future fails instead of retrying for the default
	 * two minutes;</li>
	 * <li>{@code request.timeout.ms} = timeout / 2: one lost request is retried within the
	 * delivery timeout;</li>
	 * <li>{@code max.block.ms} = min(interval, timeout / 2): how long a send may wait for
	 * partition metadata (only until the broker is first reached, or while metadata is
	 * refreshed); a record that cannot even start within one interval is superseded by the
	 * next heartbeat, and a longer wait would hold up the records queued behind it;</li>
	 * <li>byte-array key and value serializers.</li>
	 * </ul>
	 * @param heartbeatInterval the heartbeat interval
	 * @param heartbeatTimeout the heartbeat timeout
	 * @return a new mutable map of settings
	 */
	public static Map<String, Object> producer(Duration heartbeatInterval, Duration heartbeatTimeout) {
		long interval = millis("heartbeatInterval", heartbeatInterval);
		long timeout = millis("heartbeatTimeout", heartbeatTimeout);
		long requestTimeout = Math.max(1, timeout / 2);
		Map<String, Object> overrides = new LinkedHashMap<>();
		overrides.put(ProducerConfig.ACKS_CONFIG, "all");
		overrides.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
		overrides.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
		overrides.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
		overrides.put(ProducerConfig.LINGER_MS_CONFIG, "0");
		overrides.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout, requestTimeout)));
		overrides.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout));
		long maxBlock = Math.max(1, Math.min(interval, requestTimeout));
		overrides.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlock));
		overrides.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
		overrides.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
		return overrides;
	}

	/**
	 * Returns the consumer settings failover needs:
	 * <ul>
	 * <li>{@code enable.auto.commit=false}, {@code auto.offset.reset=none},
	 * {@code allow.auto.create.topics=false}: each subscription assigns its group's
	 * partition itself and reads it from the start, with no consumer group (so no
	 * rebalances, no committed offsets, and a missing topic is reported, not silently
	 * created with broker defaults). A position that the log no longer has (a topic created
	 * again, a log truncated) raises an error that the transport handles by reading the new
	 * log from its beginning and telling the watcher, instead of the consumer silently
	 * jumping to another offset. A configured {@code group.id} is ignored;</li>
	 * <li>{@code fetch.max.wait.ms} = interval / 2, between 10 and 500 ms: a new record ends a
	 * pending fetch at once whatever the wait, so the wait only sets how often an idle reader
	 * asks (each ask costs both sides CPU; the transport caps the wait at half the progress
	 * interval it is asked for, and asks for end offsets on a connection of its own);</li>
	 * <li>{@code request.timeout.ms} = timeout / 2 (at least 3 fetch waits) and
	 * {@code default.api.timeout.ms} = timeout: a hung connection is noticed, and
	 * reconnected, within a heartbeat timeout rather than the default 30 s;</li>
	 * <li>{@code metadata.max.age.ms} = timeout / 2: the consumer learns of a new partition
	 * leader within half a timeout even when the old leader never answers. A consumer asks for
	 * metadata only when a fetch returns an error or its metadata ages; a leader that hangs
	 * (paused, or its host stalled) answers no fetch, so with the default five minutes the
	 * group's readers kept fetching from it after the controller had moved the partition, and
	 * nobody could claim until it woke up (the fault suite's {@code 3b-pause-leader-long}:
	 * 6.7 s after the new leader). A metadata request costs one small round trip;</li>
	 * <li>byte-array key and value deserializers (keys are decoded as UTF-8 by the
	 * transport, leniently, so no record can fail to deserialize).</li>
	 * </ul>
	 * @param heartbeatInterval the heartbeat interval
	 * @param heartbeatTimeout the heartbeat timeout
	 * @return a new mutable map of settings
	 */
	public static Map<String, Object> consumer(Duration heartbeatInterval, Duration heartbeatTimeout) {
		long interval = millis("heartbeatInterval", heartbeatInterval);
		long timeout = millis("heartbeatTimeout", heartbeatTimeout);
		long fetchWait = Math.max(10, Math.min(500, interval / 2));
		long requestTimeout = Math.max(timeout / 2, 3 * fetchWait);
		Map<String, Object> overrides = new LinkedHashMap<>();
		overrides.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		overrides.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
		overrides.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
		overrides.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, String.valueOf(fetchWait));
		overrides.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(requestTimeout));
		overrides.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(Math.max(timeout, requestTimeout)));
		overrides.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, String.valueOf(Math.max(1, timeout / 2)));
		overrides.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		overrides.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		return overrides;
	}

	/**
	 * Applies the producer settings the transport cannot work without.
	 */
	static Map<String, Object> enforceProducer(Map<String, Object> config, String clientId) {
		Map<String, Object> result = new LinkedHashMap<>(config);
		// a transactional producer would need initTransactions() and fences by id: not ours
		result.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
		result.put(ProducerConfig.ACKS_CONFIG, "all");
		result.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
		Object inFlight = result.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
		if (inFlight != null && parseInt(inFlight, 5) > 5) {
			// more would make idempotence (and with it ordering under retries) impossible
			result.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
		}
		Object retries = result.get(ProducerConfig.RETRIES_CONFIG);
		if (retries != null && parseInt(retries, 1) < 1) {
			// idempotence requires retries; the delivery timeout bounds them
			result.put(ProducerConfig.RETRIES_CONFIG, String.valueOf(Integer.MAX_VALUE));
		}
		result.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
		result.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
		result.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
		return result;
	}

	/**
	 * Applies the consumer settings the transport cannot work without.
	 */
	static Map<String, Object> enforceConsumer(Map<String, Object> config, String clientId) {
		Map<String, Object> result = new LinkedHashMap<>(config);
		// manual assignment: a group would commit offsets and could rebalance
		result.remove(ConsumerConfig.GROUP_ID_CONFIG);
		result.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
		result.remove(ConsumerConfig.GROUP_PROTOCOL_CONFIG);
		result.remove(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG);
		result.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
		result.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
		result.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
		result.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		result.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
		result.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
		return result;
	}

	/**
	 * Returns a configured integer setting, or the fallback when absent or unreadable.
	 */
	static int parseInt(Object value, int fallback) {
		if (value instanceof Number number) {
			return number.intValue();
		}
		if (value != null) {
			try {
				return Integer.parseInt(value.toString().trim());
			}
			catch (NumberFormatException ex) {
				// the client's own validation reports it with the setting's name
			}
		}
		return fallback;
	}

	private static long millis(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException(name + " (" + value + ") must be positive");
		}
		return Math.max(1, value.toMillis());
	}

}

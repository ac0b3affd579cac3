package dev.failover.core.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The log that carries a failover group's records: the one thing a watcher needs from a
 * message broker.
 * <p>
 * A transport must give every reader of a group the same records in the same order (all
 * records of a group live in one ordered partition, whatever their key), and must only
 * acknowledge records that will not be lost. It delivers records to a subscriber from its
 * own threads; a watcher hands them over to its event loop. Implementations: the in-memory
 * {@link InMemoryLog} for tests, and the Kafka transport of the Spring Boot starter.
 * <p>
 * Record keys follow {@link #groupKey(String)} and {@link #memberKey(String, String)}, so
 * that a compacted topic keeps each group's latest state and each member's latest presence.
 */
public interface Transport {

	/**
	 * Returns the key of the records that carry a group's election state (heartbeats,
	 * claims, shutdowns).
	 * @param group the group
	 * @return the key
	 */
	static String groupKey(String group) {
		return group;
	}

	/**
	 * Returns the key of a member's presence records.
	 * @param group the group
	 * @param instanceId the member
	 * @return the key
	 */
	static String memberKey(String group, String instanceId) {
		return group + "/" + instanceId;
	}

	/**
	 * Returns the member a presence key names: the inverse of {@link #memberKey(String, String)}.
	 * @param group the group
	 * @param key a key for which {@link #isGroupRecord(String, String)} holds and that is not the group key
	 * @return the instance id
	 */
	static String memberId(String group, String key) {
		return key.substring(group.length() + 1);
	}

	/**
	 * Returns whether a record key belongs to a group (or is absent, so that unkeyed records
	 * are read, checked and counted by every watcher; note that a compacted Kafka topic
	 * refuses unkeyed records).
	 * @param group the group
	 * @param key the record key, may be {@code null}
	 * @return {@code true} if a subscriber of the group should read the record
	 */
	static boolean isGroupRecord(String group, String key) {
		return key == null || key.equals(group) || (key.startsWith(group) && key.length() > group.length()
				&& key.charAt(group.length()) == '/');
	}

	/**
	 * Appends a record to the group's log. Never blocks the caller.
	 * @param group the group, which selects the partition
	 * @param key the record key
	 * @param value the record, or {@code null} for a tombstone that deletes the key's earlier
	 * records from a compacted log
	 * @return a future completed with the record's offset once the log has durably accepted
	 * it, or completed exceptionally if it could not be written in time
	 */
	CompletableFuture<Long> publish(String group, String key, byte[] value);

	/**
	 * Appends a record that somebody waits for, such as a leaving primary's notice, which
	 * its successor waits for: a transport that checks something before each record (the
	 * Kafka transport confirms that the topic still exists, so that its producer never asks
	 * a broker about a deleted topic, and so recreates it) may rely on a check made at most
	 * {@code checkedWithin} before the record was queued instead of making a new one. By
	 * default the same as {@link #publish(String, String, byte[])}.
	 * @param group the group, which selects the partition
	 * @param key the record key
	 * @param value the record, or {@code null} for a tombstone
	 * @param checkedWithin how old a check this record may rely on
	 * @return a future completed with the record's offset once the log has durably accepted
	 * it, or completed exceptionally if it could not be written in time
	 */
	default CompletableFuture<Long> publishPromptly(String group, String key, byte[] value, Duration checkedWithin) {
		return publish(group, key, value);
	}

	/**
	 * Starts reading a group's log from an offset and keeps reading until the subscription
	 * is closed. Records whose key does not belong to the group may be skipped
	 * ({@link #isGroupRecord(String, String)}).
	 * @param group the group
	 * @param fromOffset the first offset to read; an offset below the earliest retained one
	 * (such as 0) reads from the earliest retained record
	 * @param progressInterval how often, at most, the listener should hear
	 * {@link LogListener#onProgress(long, long)} while the log is readable
	 * @param listener receives records and progress, from the transport's threads, one call
	 * at a time
	 * @return the subscription, to close when done
	 */
	Subscription subscribe(String group, long fromOffset, Duration progressInterval, LogListener listener);

}

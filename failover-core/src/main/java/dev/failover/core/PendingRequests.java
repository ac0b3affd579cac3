package dev.failover.core;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.failover.core.internal.election.Effect;

/**
 * Requests to a watcher (a step-down, a graceful close) waiting for the election to answer
 * them: each gets a number the election names in the {@link Effect.Complete} that ends it.
 */
final class PendingRequests {

	private final Map<Long, CompletableFuture<Boolean>> requests = new ConcurrentHashMap<>();

	private final AtomicLong lastRequest = new AtomicLong();

	/**
	 * Registers a new request.
	 * @return its number, and the future the election's answer completes
	 */
	Request register() {
		Request request = new Request(this.lastRequest.incrementAndGet(), new CompletableFuture<>());
		this.requests.put(request.id(), request.answer());
		return request;
	}

	/**
	 * A registered request.
	 * @param id the number the election names in its answer
	 * @param answer completed with the election's answer
	 */
	record Request(long id, CompletableFuture<Boolean> answer) {
	}

	/** Completes the request the election names, if it is still pending. */
	void complete(Effect.Complete complete) {
		CompletableFuture<Boolean> request = this.requests.remove(complete.request());
		if (request == null) {
			return;
		}
		if (complete.error() != null) {
			request.completeExceptionally(complete.error());
		}
		else {
			request.complete(complete.value());
		}
	}

}

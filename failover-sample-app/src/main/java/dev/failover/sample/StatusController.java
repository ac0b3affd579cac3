package dev.failover.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.failover.core.Member;
import dev.failover.core.Watcher;
import dev.failover.core.WatcherStatus;

/**
 * {@code GET /status}: this instance's role, the group's members and the end of the ledger.
 */
@RestController
public class StatusController {

	private final Watcher watcher;

	private final LedgerWriter writer;

	private final LedgerTail tail;

	public StatusController(Watcher watcher, LedgerWriter writer, LedgerTail tail) {
		this.watcher = watcher;
		this.writer = writer;
		this.tail = tail;
	}

	@GetMapping("/status")
	public Map<String, Object> status() {
		WatcherStatus status = this.watcher.status();
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("instanceId", status.instanceId());
		body.put("group", status.group());
		body.put("role", status.role().label());
		body.put("epoch", status.epoch());
		body.put("primaryId", status.primaryId());
		List<Map<String, Object>> members = status.members().stream().map(StatusController::member).toList();
		body.put("members", members);
		Map<String, Object> ledger = new LinkedHashMap<>();
		ledger.put("writtenByThisInstance", this.writer.written());
		ledger.put("fencedWritesOfThisInstance", this.writer.fenced());
		ledger.put("tail", this.tail.latest());
		body.put("ledger", ledger);
		body.put("status", this.watcher.formatStatus());
		return body;
	}

	private static Map<String, Object> member(Member member) {
		Map<String, Object> map = new LinkedHashMap<>();
		map.put("instanceId", member.instanceId());
		map.put("role", member.role().label());
		map.put("lastSeen", String.valueOf(member.lastSeen()));
		return map;
	}

}

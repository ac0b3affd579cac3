package dev.failover.core;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The promote and demote callbacks that several parts of an application registered on one
 * watcher, composed into one of each, so that adding a callback never replaces another
 * (the starter's primary-only components and the application's own callbacks both run).
 * <p>
 * Promote callbacks run in the order they were added; if one throws, the ones after it do
 * not run, the demote callbacks added before it run in reverse order (to undo what the
 * earlier promote callbacks started), and the promotion is refused. Demote callbacks run in
 * the reverse order of registration; one that throws is logged and the others still run.
 */
final class RoleCallbacks {

	private static final Logger logger = LoggerFactory.getLogger(Watcher.class);

	private final List<Entry> entries = new ArrayList<>();

	void addPromote(RoleCallback callback) {
		this.entries.add(new Entry(callback, null));
	}

	void addDemote(RoleCallback callback) {
		this.entries.add(new Entry(null, callback));
	}

	/** Returns the composed promote callback, or {@code null} if none was added. */
	RoleCallback promote() {
		List<Entry> all = List.copyOf(this.entries);
		if (all.stream().allMatch((entry) -> entry.promote == null)) {
			return null;
		}
		if (all.size() == 1) {
			return all.get(0).promote;
		}
		return (epoch) -> {
			for (int i = 0; i < all.size(); i++) {
				RoleCallback promote = all.get(i).promote;
				if (promote == null) {
					continue;
				}
				try {
					promote.run(epoch);
				}
				catch (Exception | Error ex) {
					demote(all.subList(0, i), epoch);
					throw ex;
				}
			}
		};
	}

	/** Returns the composed demote callback, or {@code null} if none was added. */
	RoleCallback demote() {
		List<Entry> all = List.copyOf(this.entries);
		if (all.stream().allMatch((entry) -> entry.demote == null)) {
			return null;
		}
		if (all.size() == 1) {
			return all.get(0).demote;
		}
		return (epoch) -> demote(all, epoch);
	}

	private static void demote(List<Entry> entries, long epoch) {
		for (int i = entries.size() - 1; i >= 0; i--) {
			RoleCallback demote = entries.get(i).demote;
			if (demote == null) {
				continue;
			}
			try {
				demote.run(epoch);
			}
			catch (Exception ex) {
				logger.error("A demote callback failed at epoch {}; running the others", epoch, ex);
			}
		}
	}

	private record Entry(RoleCallback promote, RoleCallback demote) {
	}

}

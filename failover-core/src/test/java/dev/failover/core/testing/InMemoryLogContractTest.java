package dev.failover.core.testing;

import org.junit.jupiter.api.AfterEach;

import dev.failover.core.spi.FailoverClock;
import dev.failover.core.spi.Transport;

/**
 * The transport contract on the in-memory log, in real time.
 */
class InMemoryLogContractTest extends TransportContract {

	private final InMemoryLog log = new InMemoryLog(FailoverClock.system());

	private final Transport transport = this.log.connect("contract");

	@Override
	protected Transport transport() {
		return this.transport;
	}

	@AfterEach
	void closeLog() {
		this.log.close();
	}

}

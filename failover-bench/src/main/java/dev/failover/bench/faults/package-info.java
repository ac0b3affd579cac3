/**
 * The fault suite: scenarios that inject faults into real processes (SIGKILL, SIGSTOP,
 * broker crashes, network cuts, restarts, switchovers, hostile records, invalid settings)
 * and check afterwards that there was never more than one primary, that epochs only went
 * up, that the ledger holds no write of a deposed primary, and that the group recovered in
 * time.
 * <p>
 * {@link dev.failover.bench.faults.FaultSuite} runs them ({@code scripts/fault-suite.sh});
 * {@code FaultSuiteIT} runs the shortened list in {@code mvn verify}.
 */
package dev.failover.bench.faults;

/**
 * The sample application: a service on the starter whose primary writes a fenced ledger
 * topic, with a status page; the demo, the fault suite and the benchmark run it.
 */
package dev.failover.sample;

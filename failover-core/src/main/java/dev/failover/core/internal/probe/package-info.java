/**
 * Process probes over TCP (fast crash detection): the endpoint a watcher holds open while
 * it runs, and the watch of the primary's. Not API.
 */
package dev.failover.core.internal.probe;

package dev.failover.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The controller links of a {@link KafkaCluster}: one {@link TcpProxy} for each ordered pair
 * of nodes, in front of the second node's controller listener.
 * <p>
 * Static voters are a per-node setting, so each node can be told to reach every other voter
 * through a proxy of its own; cutting the proxies from and to one node isolates that node's
 * controller (and its broker's view of the quorum) and nothing else. A node reaches its own
 * controller directly. The replication links are the brokers' proxied listeners, see
 * {@link #replicationListener(int)}.
 */
final class NodeLinks implements AutoCloseable {

	private final Map<String, TcpProxy> controllerLinks;

	private NodeLinks(Map<String, TcpProxy> controllerLinks) {
		this.controllerLinks = controllerLinks;
	}

	/**
	 * Starts a proxy for every ordered pair of nodes.
	 * @param controllerPorts node id to the port its controller binds
	 * @return the links
	 */
	static NodeLinks start(Map<Integer, Integer> controllerPorts) {
		Map<String, TcpProxy> links = new LinkedHashMap<>();
		try {
			for (int from : controllerPorts.keySet()) {
				for (int to : controllerPorts.keySet()) {
					if (from != to) {
						links.put(key(from, to), TcpProxy.builder()
							.name("controller-" + from + "-to-" + to)
							.target(FreePorts.HOST, controllerPorts.get(to))
							.start());
					}
				}
			}
		}
		catch (RuntimeException ex) {
			links.values().forEach(TcpProxy::close);
			throw ex;
		}
		return new NodeLinks(links);
	}

	/**
	 * Returns the name of the listener through which a node reaches every other broker: each
	 * broker has one such listener per node, advertised at a proxy of its own, and node
	 * {@code n} uses {@code FROM<n>} as its {@code inter.broker.listener.name}. So replica
	 * fetches from node 1 to node 2 cross node 2's {@code FROM1} proxy and no other link.
	 * @param node the node id
	 * @return the listener name
	 */
	static String replicationListener(int node) {
		return "FROM" + node;
	}

	/**
	 * Renders {@code controller.quorum.voters} as one node sees them: itself directly, every
	 * other voter through the link from this node.
	 * @param node the node id
	 * @param controllerPorts node id to its controller port
	 * @return the setting
	 */
	String voters(int node, Map<Integer, Integer> controllerPorts) {
		return controllerPorts.keySet()
			.stream()
			.map((voter) -> voter + "@" + FreePorts.HOST + ":"
					+ ((voter == node) ? controllerPorts.get(voter) : controller(node, voter).port()))
			.collect(Collectors.joining(","));
	}

	/**
	 * Returns the link from one node to another's controller.
	 * @param from the connecting node
	 * @param to the node whose controller it reaches
	 * @return the proxy
	 */
	TcpProxy controller(int from, int to) {
		TcpProxy link = this.controllerLinks.get(key(from, to));
		if (link == null) {
			throw new IllegalArgumentException("no controller link from node " + from + " to node " + to);
		}
		return link;
	}

	@Override
	public void close() {
		this.controllerLinks.values().forEach(TcpProxy::close);
	}

	private static String key(int from, int to) {
		return from + ">" + to;
	}

}

package dev.failover.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.boot.kafka.autoconfigure.KafkaConnectionDetails;
import org.springframework.boot.kafka.autoconfigure.SslBundleSslEngineFactory;
import org.springframework.boot.ssl.SslBundle;

/**
 * Applies Boot's Kafka connection details (bootstrap servers, security protocol, SSL
 * bundle) to client properties built from {@code spring.kafka.*}, as Boot's own Kafka
 * auto-configuration does for the factories it creates: for applications whose factories
 * the starter cannot use (several of them), so that the failover clients still reach the
 * cluster the application's connection details name.
 */
final class KafkaConnection {

	private KafkaConnection() {
	}

	/**
	 * Returns the properties with the connection details applied.
	 * @param properties client properties built from {@code spring.kafka.*}
	 * @param details the details for this kind of client, or {@code null} for none
	 * @return a new map
	 */
	static Map<String, Object> apply(Map<String, Object> properties, KafkaConnectionDetails.Configuration details) {
		Map<String, Object> result = new LinkedHashMap<>(properties);
		if (details == null) {
			return result;
		}
		result.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, details.getBootstrapServers());
		if (details.getSecurityProtocol() != null) {
			result.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, details.getSecurityProtocol());
		}
		SslBundle bundle = details.getSslBundle();
		if (bundle != null) {
			// what Boot's SslBundleSslEngineFactory reads its bundle from
			result.put(SslConfigs.SSL_ENGINE_FACTORY_CLASS_CONFIG, SslBundleSslEngineFactory.class);
			result.put(SslBundle.class.getName(), bundle);
		}
		return result;
	}

}

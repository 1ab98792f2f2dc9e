package dev.tollgate.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for test Redis servers: never 6379, where a shared Redis may run,
 * and for a Cluster node one whose bus port (+10000) is free too.
 */
final class RedisPorts {

	private static final String LOOPBACK = "127.0.0.1";

	private static final int SHARED_REDIS_PORT = 6379;

	/** Redis Cluster's bus listens on the client port + 10000. */
	private static final int CLUSTER_BUS_OFFSET = 10000;

	private RedisPorts() {
	}

	/**
	 * A port nothing listens on now: any free one, or with {@code withClusterBus} one
	 * picked at random whose bus port is free as well.
	 */
	static int free(boolean withClusterBus) {
		for (int attempt = 0; attempt < 100; attempt++) {
			int port = withClusterBus ? ThreadLocalRandom.current().nextInt(20000, 50000) : 0;
			try (ServerSocket socket = bind(port)) {
				int bound = socket.getLocalPort();
				if (bound != SHARED_REDIS_PORT && (!withClusterBus || isFree(bound + CLUSTER_BUS_OFFSET))) {
					return bound;
				}
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		throw new IllegalStateException("No free loopback port found");
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = bind(port)) {
			return socket.isBound();
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static ServerSocket bind(int port) throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(false);
		socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1);
		return socket;
	}

}

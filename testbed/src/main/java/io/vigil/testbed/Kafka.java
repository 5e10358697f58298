package io.vigil.testbed;

/**
 * A single-node Kafka (KRaft, broker and controller in one JVM, 512 MB heap) started by
 * {@code deploy/testbed/kafka.sh}. Topics are auto-created with 3 partitions; consumer groups
 * rebalance without the initial delay.
 */
public final class Kafka extends ManagedService {

    public Kafka() {
        super("kafka", 2); // client port, controller port
    }

    public String bootstrapServers() {
        return instance().address();
    }
}

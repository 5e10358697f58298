package io.vigil.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@WithServices({Postgres.class, Kafka.class, MariaDb.class})
class TestBedTest {

    private final Postgres postgres;

    TestBedTest(Postgres postgres) {
        this.postgres = postgres;
    }

    @Test
    void postgresGivesEachCallerItsOwnDatabase() throws Exception {
        var first = postgres.createDatabase("testbed_first");
        var second = postgres.createDatabase("testbed_second");

        try (var a = DriverManager.getConnection(first, postgres.user(), postgres.password());
             var b = DriverManager.getConnection(second, postgres.user(), postgres.password())) {
            a.createStatement().execute("create table only_here (id int)");
            var tables = b.getMetaData().getTables(null, "public", "only_here", null);
            assertThat(tables.next()).as("table created in the other database").isFalse();
            var rs = a.createStatement().executeQuery("select current_database()");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("testbed_first");
        }
        assertThatThrownBy(() -> postgres.createDatabase("testbed_first"))
                .isInstanceOf(TestBedException.class).hasMessageContaining("already exists");
    }

    @Test
    void mariaDbAnswersOverJdbcAsRoot(MariaDb mariaDb) throws Exception {
        try (var connection = DriverManager.getConnection(mariaDb.jdbcUrl(), mariaDb.rootUser(), "")) {
            var rs = connection.createStatement().executeQuery("select @@version");
            rs.next();
            assertThat(rs.getString(1)).contains("MariaDB");
        }
        assertThat(mariaDb.sql("select @@slow_query_log_file").strip()).isEqualTo(mariaDb.slowLogPath().toString());
    }

    @Test
    void kafkaReturnsWhatWasProduced(Kafka kafka) throws Exception {
        var topic = "testbed-" + UUID.randomUUID();
        var producerConfig = Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        RecordMetadata sent;
        try (var producer = new KafkaProducer<String, String>(producerConfig)) {
            sent = producer.send(new ProducerRecord<>(topic, "host-1", "cpu=0.42")).get();
        }

        var consumerConfig = new Properties();
        consumerConfig.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        consumerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        consumerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        try (var consumer = new KafkaConsumer<String, String>(consumerConfig)) {
            // Assigned, not subscribed: a group join would add seconds and prove nothing about the bed.
            var partition = new TopicPartition(topic, sent.partition());
            consumer.assign(List.of(partition));
            consumer.seek(partition, sent.offset());
            var deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    assertThat(record.key()).isEqualTo("host-1");
                    assertThat(record.value()).isEqualTo("cpu=0.42");
                    return;
                }
            }
        }
        throw new AssertionError("no record read back from " + topic + " within 30 s");
    }

    @Test
    void servicesAreSharedWithinTheJvm(Postgres injected) {
        assertThat(TestBed.get(Postgres.class)).isSameAs(injected).isSameAs(postgres);
    }

    @Test
    void startOnATakenPortFailsNamingThePort(@TempDir Path dir) throws Exception {
        var scripts = new ServiceScripts(Settings.fromSystemProperties());
        try (var squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = squatter.getLocalPort();
            assertThatThrownBy(() -> scripts.startOn(Launch.of("postgres", 1), dir, List.of(port)))
                    .isInstanceOf(ServiceScripts.ScriptFailedException.class)
                    .hasMessageContaining("port " + port)
                    .hasMessageContaining("already in use")
                    .satisfies(e -> assertThat(((ServiceScripts.ScriptFailedException) e).exitCode)
                            .isEqualTo(ServiceScripts.EXIT_PORT_IN_USE));
        }
    }

    @Test
    void aServiceThatFailedToStartFailsLaterRequestsAtOnceWithTheSameMessage() {
        assertThatThrownBy(() -> TestBed.get(Missing.class))
                .isInstanceOf(TestBedException.class).hasMessageContaining("no-such-service.sh");
        long began = System.nanoTime();
        assertThatThrownBy(() -> TestBed.get(Missing.class))
                .isInstanceOf(TestBedException.class).hasMessageContaining("no-such-service.sh");
        assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(1));
    }

    /** A service whose script does not exist. */
    static final class Missing extends ManagedService {

        Missing() {
            super("no-such-service", 1);
        }
    }
}

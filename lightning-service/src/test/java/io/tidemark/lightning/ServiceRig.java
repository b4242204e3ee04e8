package io.tidemark.lightning;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.context.ConfigurableApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * One test class's world: its own broker and MariaDB target, the service on them, a recorder of the status topic and a
 * producer of commands. Closed in the reverse order.
 */
final class ServiceRig implements AutoCloseable {
    private final TestKafka kafka;
    private final LocalMariaDb target;
    private final ConfigurableApplicationContext service;
    private final StatusRecorder status;
    private final KafkaProducer<String, Object> producer;

    private ServiceRig(TestKafka kafka, LocalMariaDb target, ConfigurableApplicationContext service,
                       StatusRecorder status, KafkaProducer<String, Object> producer) {
        this.kafka = kafka;
        this.target = target;
        this.service = service;
        this.status = status;
        this.producer = producer;
    }

    /** @param serviceArgs the service's own settings, e.g. {@code --tidemark.lightning.workers=2} */
    static ServiceRig start(String targetName, String... serviceArgs) {
        return start(targetName, List.of(), serviceArgs);
    }

    /** @param targetOptions the target server's own, e.g. {@code --default-time-zone=+09:00} */
    static ServiceRig start(String targetName, List<String> targetOptions, String... serviceArgs) {
        return startOn(TestKafka.start(), targetName, targetOptions, serviceArgs);
    }

    /** on a broker the test started (e.g. {@link TestKafka#startWithoutShareGroups()}); the rig closes it */
    static ServiceRig startOn(TestKafka kafka, String targetName, List<String> targetOptions, String... serviceArgs) {
        LocalMariaDb target = null;
        try {
            target = TestDatabases.startTarget(targetName, targetOptions.toArray(String[]::new));
            ConfigurableApplicationContext service = TestService.start(kafka.bootstrapServers(), serviceArgs);
            return new ServiceRig(kafka, target, service, new StatusRecorder(kafka.bootstrapServers()),
                    TestService.producer(kafka.bootstrapServers()));
        } catch (RuntimeException e) {
            if (target != null) {
                target.close();
            }
            kafka.close();
            throw e;
        }
    }

    TestKafka kafka() {
        return kafka;
    }

    ConfigurableApplicationContext service() {
        return service;
    }

    LocalMariaDb target() {
        return target;
    }

    StatusRecorder status() {
        return status;
    }

    KafkaProducer<String, Object> producer() {
        return producer;
    }

    /**
     * The rows {@code sql} selects on the target, each one's columns joined with '|' (NULL as "null"), read in a UTC
     * session so a TIMESTAMP reads the same whatever the server's own time zone.
     */
    List<String> rows(String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = TestDatabases.connect(target); Statement st = c.createStatement()) {
            st.execute("SET time_zone = '+00:00'");
            try (ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<String> cols = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        cols.add(String.valueOf(rs.getString(i)));
                    }
                    out.add(String.join("|", cols));
                }
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        producer.close();
        status.close();
        service.close();
        target.close();
        kafka.close();
    }
}

package io.tidemark.coordinator.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The active coordinator's transactional producer. Its {@code transactional.id} is the same for every coordinator of
 * an installation, so {@link #open} on a new active coordinator fences the producer of any coordinator before it:
 * Kafka refuses every later write and commit of the old one, and aborts the transaction it left open. A producer that
 * was fenced, or failed past aborting, is closed and never opened again by this instance until it is elected anew:
 * opening it again would fence the rightful active coordinator.
 */
final class ActiveProducer {
    private final KafkaProducer<String, Object> producer;

    private ActiveProducer(KafkaProducer<String, Object> producer) {
        this.producer = producer;
    }

    /** a producer of {@code transactionalId}, its transactions initialized: every older one of that id is fenced */
    static ActiveProducer open(Map<String, Object> settings, String transactionalId, Duration timeout,
                               Serializer<Object> values) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
        // an open transaction of a coordinator that stopped answering blocks read_committed readers until it ends:
        // bounded by this, and ended at once when the next active coordinator opens its producer
        config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) Math.max(timeout.toMillis(), 10_000));
        KafkaProducer<String, Object> producer = new KafkaProducer<>(config, new StringSerializer(), values);
        try {
            producer.initTransactions();
            return new ActiveProducer(producer);
        } catch (RuntimeException e) {
            producer.close(Duration.ZERO);
            throw e;
        }
    }

    KafkaProducer<String, Object> producer() {
        return producer;
    }

    void close() {
        producer.close(Duration.ofSeconds(1));
    }

    /** whether {@code e} (or a cause) says another producer of this transactional.id took over */
    static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException
                    || t instanceof FencedInstanceIdException || t instanceof TransactionalIdAuthorizationException) {
                return true;
            }
            // a producer that was fenced before reports later calls as a fatal KafkaException naming it
            if (t instanceof KafkaException && String.valueOf(t.getMessage()).contains("fenced")) {
                return true;
            }
        }
        return false;
    }
}

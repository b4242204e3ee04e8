package io.tidemark.lightning.chunk;

import io.tidemark.common.command.Command;
import io.tidemark.kit.kafka.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A chunk worker in its own JVM that takes one chunk and never finishes it: the test kills it with SIGKILL. */
final class HoldOneChunk {
    private HoldOneChunk() {
    }

    /** args: bootstrap servers, topic, share group */
    public static void main(String[] args) throws Exception {
        KafkaProperties properties = new KafkaProperties();
        properties.setBootstrapServers(List.of(args[0]));
        KafkaClients clients = new KafkaClients(properties, "hold-one-chunk");
        ShareChunkQueue queue = new ShareChunkQueue(clients.shareConsumer(args[2], Command.class, Map.of(
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1, ConsumerConfig.SHARE_ACQUIRE_MODE_CONFIG, "record_limit")),
                new KafkaProducer<>(Map.of("bootstrap.servers", args[0]), new StringSerializer(),
                        new ByteArraySerializer()), args[1], 4);
        while (queue.take(Duration.ofMillis(200)).isEmpty()) {
            // until the chunk comes
        }
        System.out.println("HOLDING");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}

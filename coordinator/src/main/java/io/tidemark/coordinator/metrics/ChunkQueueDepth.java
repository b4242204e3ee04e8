package io.tidemark.coordinator.metrics;

import io.tidemark.common.topic.TopicCatalog;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How many import chunks wait for a lightning-service, from whichever group the import workers take them with: the
 * share group's lag while it has members (KIP-932: no committed offset — the broker keeps a start offset and a lag per
 * partition), else the consumer group's lag. Kafka's own lag tools see nothing on a share group, so this is what the
 * autoscaler and the dashboard read.
 */
final class ChunkQueueDepth {
    private static final long WAIT_SECONDS = 2;

    private final Admin admin;
    private final TopicCatalog topics;

    ChunkQueueDepth(Admin admin, TopicCatalog topics) {
        this.admin = admin;
        this.topics = topics;
    }

    /** @return 0 while neither group has offsets and nothing was published */
    long read() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> ends = chunkTopicEnds();
        Map<TopicPartition, SharePartitionOffsetInfo> share = shareGroupOffsets();
        long depth = 0;
        if (!share.isEmpty()) {
            for (var e : ends.entrySet()) {
                SharePartitionOffsetInfo at = share.get(e.getKey());
                depth += at == null ? e.getValue() : at.lag().orElse(Math.max(0, e.getValue() - at.startOffset()));
            }
            return depth;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(topics.importWorkerGroup())
                .partitionsToOffsetAndMetadata().get(WAIT_SECONDS, TimeUnit.SECONDS);
        for (var e : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(e.getKey());
            depth += Math.max(0, e.getValue() - (at == null ? 0 : at.offset()));
        }
        return depth;
    }

    private Map<TopicPartition, Long> chunkTopicEnds() throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        admin.describeTopics(List.of(topics.importChunks())).allTopicNames().get(WAIT_SECONDS, TimeUnit.SECONDS)
                .get(topics.importChunks()).partitions()
                .forEach(p -> ends.put(new TopicPartition(topics.importChunks(), p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listOffsets(ends).all().get(WAIT_SECONDS, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    /** the share group's offsets while it has members; empty when it has none, does not exist, or the cluster has no share groups */
    private Map<TopicPartition, SharePartitionOffsetInfo> shareGroupOffsets() throws InterruptedException {
        String group = topics.importWorkerShareGroup();
        try {
            boolean members = !admin.describeShareGroups(List.of(group)).describedGroups().get(group)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS).members().isEmpty();
            if (!members) {
                return Map.of();
            }
            return admin.listShareGroupOffsets(Map.of(group, new ListShareGroupOffsetsSpec()))
                    .partitionsToOffsetInfo(group).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            return Map.of(); // no such group, or no share groups on this cluster: the consumer group's lag is the depth
        }
    }
}

package io.tidemark.kit.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a Kafka cluster offers for KIP-932 share groups ("queues for Kafka"), asked once at a service's start-up. A
 * broker serves share groups when the cluster's finalized {@code share.version} feature is at least 1 (Kafka 4.2
 * formats new clusters so; an upgraded one needs {@code kafka-features.sh upgrade --feature share.version=1}). Older
 * brokers (Amazon MSK and on-premise clusters before 4.2) answer without the feature, or do not know the request.
 */
public final class ShareGroups {
    public static final String FEATURE = "share.version";
    /** a new share group starts at the log's end by default: chunks published before its first member would be lost */
    static final String AUTO_OFFSET_RESET = "share.auto.offset.reset";

    private ShareGroups() {
    }

    /** the answer: whether share groups can be used, and why (for the log and the service's info) */
    public record Support(boolean available, String reason) {
    }

    /**
     * Whether the cluster behind {@code admin} serves share groups.
     *
     * @throws TidemarkException {@link ErrorCode#KAFKA_FEATURES_UNREADABLE} when the cluster does not answer
     */
    public static Support probe(Admin admin, String cluster, Duration timeout) {
        FeatureMetadata features;
        try {
            features = admin.describeFeatures(new DescribeFeaturesOptions().timeoutMs((int) timeout.toMillis()))
                    .featureMetadata().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedVersionException) {
                return new Support(false, "the brokers predate feature flags (Kafka before 2.7)");
            }
            throw new TidemarkException(ErrorCode.KAFKA_FEATURES_UNREADABLE, e.getCause(), cluster,
                    String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new TidemarkException(ErrorCode.KAFKA_FEATURES_UNREADABLE, e, cluster,
                    "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.KAFKA_FEATURES_UNREADABLE, e, cluster, "interrupted");
        }
        FinalizedVersionRange share = features.finalizedFeatures().get(FEATURE);
        if (share == null || share.maxVersionLevel() < 1) {
            // a feature at level 0 is not listed at all: off, never enabled, or brokers older than the feature
            return new Support(false, "the cluster's " + FEATURE + " feature is not enabled (brokers before Kafka 4.1,"
                    + " a cluster upgraded without it, or turned off); share groups need level 1");
        }
        return new Support(true, "the cluster's " + FEATURE + " feature is finalized at level " + share.maxVersionLevel());
    }

    /**
     * Makes share group {@code groupId} start from the earliest record it has not delivered, whenever it is (re)created:
     * its work is published before (or while) its members join. Setting it again is a no-op.
     *
     * @throws TidemarkException {@link ErrorCode#SHARE_GROUP_CONFIG_REFUSED} when the cluster refuses the config
     */
    public static void readFromEarliest(Admin admin, String groupId, String cluster, Duration timeout) {
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        AlterConfigOp earliest = new AlterConfigOp(new ConfigEntry(AUTO_OFFSET_RESET, "earliest"), AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(group, List.of(earliest))).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new TidemarkException(ErrorCode.SHARE_GROUP_CONFIG_REFUSED, e.getCause(), AUTO_OFFSET_RESET + "=earliest",
                    groupId, cluster, String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new TidemarkException(ErrorCode.SHARE_GROUP_CONFIG_REFUSED, e, AUTO_OFFSET_RESET + "=earliest",
                    groupId, cluster, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.SHARE_GROUP_CONFIG_REFUSED, e, AUTO_OFFSET_RESET + "=earliest",
                    groupId, cluster, "interrupted");
        }
    }
}

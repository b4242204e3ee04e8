package io.tidemark.kit.kafka;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeFeaturesOptions;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
    /** how long a delivered record stays with its member before the broker hands it to another */
    static final String LOCK_DURATION = "share.record.lock.duration.ms";
    static final String MAX_LOCK_DURATION = "group.share.max.record.lock.duration.ms";
    private static final Duration DEFAULT_MAX_LOCK = Duration.ofSeconds(60);
    private static final Logger LOGGER = LoggerFactory.getLogger(ShareGroups.class);

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
     * Sets what a work queue needs of share group {@code groupId}, whenever it is (re)created (setting it again is a
     * no-op): start from the earliest record not yet delivered (its work is published before, or while, its members
     * join; a new share group starts at the log's end by default), and an acquisition lock of {@code lock}, or the
     * brokers' longest ({@code group.share.max.record.lock.duration.ms}, 60 s by default) where that is shorter.
     *
     * @return the lock the group has now
     * @throws TidemarkException {@link ErrorCode#SHARE_GROUP_CONFIG_REFUSED} when the cluster refuses the configs
     */
    public static Duration configure(Admin admin, String groupId, String cluster, Duration lock, Duration timeout) {
        Duration granted = lock;
        Duration longest = longestLock(admin, timeout);
        if (longest.compareTo(lock) < 0) {
            LOGGER.warn("share group {}: the brokers at {} lock a record for {} s at most"
                            + " (group.share.max.record.lock.duration.ms), less than the {} s asked: a chunk importing"
                            + " longer is handed to a second worker too, which its checkpoint fences out; raise the"
                            + " broker setting to avoid the double work", groupId, cluster, longest.toSeconds(),
                    lock.toSeconds());
            granted = longest;
        }
        ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, groupId);
        String what = AUTO_OFFSET_RESET + "=earliest, " + LOCK_DURATION + "=" + granted.toMillis();
        try {
            admin.incrementalAlterConfigs(Map.of(group, List.of(
                    new AlterConfigOp(new ConfigEntry(AUTO_OFFSET_RESET, "earliest"), AlterConfigOp.OpType.SET),
                    new AlterConfigOp(new ConfigEntry(LOCK_DURATION, String.valueOf(granted.toMillis())),
                            AlterConfigOp.OpType.SET)))).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            awaitVisible(admin, group, granted, timeout);
            return granted;
        } catch (ExecutionException e) {
            throw new TidemarkException(ErrorCode.SHARE_GROUP_CONFIG_REFUSED, e.getCause(), what, groupId, cluster,
                    String.valueOf(e.getCause()));
        } catch (TimeoutException e) {
            throw new TidemarkException(ErrorCode.SHARE_GROUP_CONFIG_REFUSED, e, what, groupId, cluster,
                    e.getMessage() != null ? e.getMessage() : "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TidemarkException(ErrorCode.SHARE_GROUP_CONFIG_REFUSED, e, what, groupId, cluster, "interrupted");
        }
    }

    /**
     * Waits until the group's settings read back: a group config is applied through the metadata log, and a member
     * joining before it lands would start the group at the log's end — skipping every chunk published before — and
     * lock its chunks for the default 30 s (seen on a busy CI machine right after the alter call returned).
     */
    private static void awaitVisible(Admin admin, ConfigResource group, Duration lock, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Config config = admin.describeConfigs(List.of(group)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(group);
            ConfigEntry reset = config == null ? null : config.get(AUTO_OFFSET_RESET);
            ConfigEntry locked = config == null ? null : config.get(LOCK_DURATION);
            if (reset != null && "earliest".equals(reset.value()) && locked != null
                    && String.valueOf(lock.toMillis()).equals(locked.value())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("set, but still not visible: " + AUTO_OFFSET_RESET + "="
                        + (reset == null ? null : reset.value()) + ", " + LOCK_DURATION + "="
                        + (locked == null ? null : locked.value()));
            }
            Thread.sleep(100);
        }
    }

    /** the brokers' longest acquisition lock; Kafka's default where a broker does not say (or may not be asked) */
    private static Duration longestLock(Admin admin, Duration timeout) {
        try {
            int broker = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .iterator().next().id();
            ConfigResource resource = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(broker));
            Config config = admin.describeConfigs(List.of(resource)).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).get(resource);
            ConfigEntry max = config == null ? null : config.get(MAX_LOCK_DURATION);
            if (max != null && max.value() != null) {
                return Duration.ofMillis(Long.parseLong(max.value()));
            }
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOGGER.info("cannot read the brokers' {} ({}); assuming Kafka's default", MAX_LOCK_DURATION, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_MAX_LOCK;
    }
}

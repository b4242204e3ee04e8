package io.tidemark.testkit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone's and deploy/cluster.sh's broker serves share groups: lightning's chunk workers find share.version 1
 * and may lock a chunk for up to an hour.
 */
class PersistentBrokerShareGroupsIT {
    @TempDir
    Path dir;

    @Test
    void aNewBrokerHasShareGroupsAndLongChunkLocks() throws Exception {
        try (PersistentBroker broker = PersistentBroker.start(dir.resolve("kafka"), 0);
             Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            FinalizedVersionRange share = admin.describeFeatures().featureMetadata().get(30, TimeUnit.SECONDS)
                    .finalizedFeatures().get("share.version");
            assertThat(share).isNotNull();
            assertThat(share.maxVersionLevel()).isEqualTo((short) 1);
            ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
            Config config = admin.describeConfigs(List.of(node)).all().get(30, TimeUnit.SECONDS).get(node);
            assertThat(config.get("group.share.max.record.lock.duration.ms").value()).isEqualTo("3600000");
        }
    }
}

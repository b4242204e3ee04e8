package io.tidemark.kit;

import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.id.WorkerId;
import io.tidemark.common.secret.SecretBox;
import io.tidemark.common.storage.LocationKeys;
import io.tidemark.common.topic.TopicCatalog;
import io.tidemark.kit.status.StatusPublisher;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.KafkaAdmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceKitAutoConfigurationTest {
    private static final String KEY = "tidemark.secret-key=MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class, ServiceKitAutoConfiguration.class))
            .withPropertyValues("spring.application.name=snapshot-service", "spring.kafka.bootstrap-servers=127.0.0.1:1",
                    "spring.kafka.admin.auto-create=false");

    @Test
    void everyServiceGetsTheSameWiringNamedUnderItsPrefix() {
        runner.withPropertyValues(KEY, "tidemark.topic-prefix=acme", "tidemark.topics.partitions=3").run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(ctx.getBean(TopicCatalog.class).status()).isEqualTo("acme.status");
            assertThat(ctx.getBean(WorkerId.class).value()).startsWith("snapshot-service@");
            assertThat(ctx).hasSingleBean(StatusPublisher.class);
            assertThat(ctx.getBeansOfType(KafkaAdmin.NewTopics.class)).hasSize(1);
        });
    }

    @Test
    void storagesOfTheServiceOpenKeysSealedWithItsSecretKeyWhileItRuns() {
        SecretBox box = SecretBox.fromBase64Key(KEY.substring(KEY.indexOf('=') + 1));
        String location = LocationKeys.seal("s3://b/p?access-key=AKIAEXAMPLE&secret-access-key=s3cr3t", box);
        String sealed = location.substring(location.lastIndexOf('=') + 1);

        runner.withPropertyValues(KEY).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            assertThat(LocationKeys.open("secret-access-key", sealed, "s3://b/p")).isEqualTo("s3cr3t");
        });

        assertThatThrownBy(() -> LocationKeys.open("secret-access-key", sealed, "s3://b/p"))
                .as("the service's key goes with it").isInstanceOf(TidemarkException.class)
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void aMissingSecretKeyStopsTheServiceNamingTheKey() {
        runner.run(ctx -> assertThat(ctx).getFailure().rootCause()
                .hasMessageContaining("tidemark.secret-key is required"));
    }

    @Test
    void anIllegalTopicPrefixIsRefusedWithTheRule() {
        runner.withPropertyValues(KEY, "tidemark.topic-prefix=a/b").run(ctx -> assertThat(ctx).getFailure()
                .rootCause().hasMessageContaining("tidemark.topic-prefix is 'a/b'"));
    }
}

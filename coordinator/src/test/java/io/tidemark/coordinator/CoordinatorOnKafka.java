package io.tidemark.coordinator;

import io.tidemark.testkit.Closing;
import io.tidemark.testkit.TestKafka;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real broker and one coordinator on it, started once for a test class and stopped after it: the fixture of the
 * API tests that need nothing else (no database, no S3). Registered as a static {@code @RegisterExtension} field.
 */
final class CoordinatorOnKafka implements BeforeAllCallback, AfterAllCallback {
    private TestKafka kafka;
    private Harness harness;

    @Override
    public void beforeAll(ExtensionContext context) {
        kafka = TestKafka.start();
        harness = Harness.start(kafka);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        Closing.quietly(harness, kafka);
    }

    TestKafka kafka() {
        return kafka;
    }

    /** the running coordinator */
    Harness h() {
        return harness;
    }

    /** stops the coordinator and starts a new one on the same broker: what a restart keeps is read back from Kafka */
    Harness restart() {
        harness.close();
        harness = Harness.start(kafka);
        return harness;
    }
}

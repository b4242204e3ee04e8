package io.tidemark.deploy;

import io.tidemark.testkit.LocalMariaDb;
import io.tidemark.testkit.LocalS3;
import io.tidemark.testkit.TestDatabases;
import io.tidemark.testkit.TestKafka;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One test class's whole Tidemark on real parts: a broker, a target MariaDB, a source MariaDB and a local S3 server
 * when asked for, and the standalone platform (every service in one JVM) on them. Closed in the reverse order, each
 * part whatever the others do; what started before a failure to start is closed too.
 *
 * @param source null when not asked for (mode import reads no database)
 * @param s3     null when not asked for
 */
record Stack(TestKafka kafka, LocalMariaDb source, LocalMariaDb target, LocalS3 s3, Platform platform)
        implements AutoCloseable {

    static Builder named(String name) {
        return new Builder(name);
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[]{platform, s3, kafka, source, target}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    static final class Builder {
        private final String name;
        private final Map<String, Object> properties = new LinkedHashMap<>(Map.of(
                "logging.level.org.apache.kafka", "WARN",
                "spring.main.banner-mode", "off",
                "tidemark.api.tokens", TestDatabases.API_TOKEN));
        private boolean source;
        private String[] sourceOptions = new String[0];
        private String[] targetOptions = new String[0];
        private Path s3Dir;
        private String[] buckets;

        private Builder(String name) {
            this.name = name;
        }

        Builder withSource() {
            source = true;
            return this;
        }

        /** further mariadbd options of the source and the target (e.g. --ssl-ca=...) */
        Builder serverOptions(String[] source, String[] target) {
            this.sourceOptions = source;
            this.targetOptions = target;
            return this;
        }

        Builder withS3(Path dir, String... buckets) {
            this.s3Dir = dir;
            this.buckets = buckets;
            return this;
        }

        /** a setting of the platform's, e.g. {@code tidemark.coordinator.file-size} */
        Builder property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        Stack start() {
            TestKafka kafka = null;
            LocalMariaDb src = null;
            LocalMariaDb target = null;
            LocalS3 s3 = null;
            try {
                kafka = TestKafka.start();
                src = source ? TestDatabases.startSource(name, sourceOptions) : null;
                target = TestDatabases.startTarget(name, targetOptions);
                s3 = s3Dir == null ? null : LocalS3.start(s3Dir, buckets);
                Platform platform = Platform.start(kafka.bootstrapServers(), TestDatabases.SECRET_KEY, 0, properties);
                return new Stack(kafka, src, target, s3, platform);
            } catch (RuntimeException e) {
                new Stack(kafka, src, target, s3, null).close();
                throw e;
            }
        }
    }
}

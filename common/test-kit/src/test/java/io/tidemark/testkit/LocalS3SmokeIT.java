package io.tidemark.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalS3SmokeIT {
    @TempDir
    Path dir;

    @Test
    void aSeparateProcessServesS3OnALoopbackPortAndLeavesNothingBehind() {
        LocalS3 s3 = LocalS3.start(dir, "initial");
        try {
            s3.createBucket("later");
            s3.put("initial", "a/b.txt", "hello".getBytes(StandardCharsets.UTF_8));
            s3.put("later", "x", new byte[0]);

            assertThat(s3.get("initial", "a/b.txt")).hasValueSatisfying(
                    b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("hello"));
            assertThat(s3.get("later", "x")).hasValueSatisfying(b -> assertThat(b).isEmpty());
            assertThat(s3.get("initial", "missing")).isEmpty();
            s3.put("initial", "a/&amp.txt", new byte[3]);
            s3.put("initial", "z", new byte[0]);
            assertThat(s3.keys("initial", "a/")).containsExactly("a/&amp.txt", "a/b.txt");
            assertThat(s3.keys("initial", "")).containsExactly("a/&amp.txt", "a/b.txt", "z");
            assertThat(s3.keys("later", "a/")).isEmpty();
            assertThat(s3.objects("initial", "a/b")).singleElement().satisfies(o -> {
                assertThat(o.key()).isEqualTo("a/b.txt");
                assertThat(o.size()).isEqualTo(5);
                assertThat(o.lastModified()).isBeforeOrEqualTo(Instant.now());
            });
            assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
            assertThat(s3.location("initial", "dump"))
                    .startsWith("s3://initial/dump?endpoint=http%3A%2F%2F127.0.0.1%3A")
                    .contains("force-path-style=true");
        } finally {
            s3.stop();
        }
        assertThat(s3.isRunning()).isFalse();
        assertThat(Files.exists(s3.dataDir())).isFalse();
    }

    @Test
    void aMissingJarIsNamedWithHowToGetIt() {
        String before = System.getProperty("tidemark.s3mock.jar");
        System.setProperty("tidemark.s3mock.jar", dir.resolve("nowhere.jar").toString());
        try {
            assertThatThrownBy(() -> LocalS3.start(dir)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("nowhere.jar is not a file");
        } finally {
            if (before == null) {
                System.clearProperty("tidemark.s3mock.jar");
            } else {
                System.setProperty("tidemark.s3mock.jar", before);
            }
        }
    }
}

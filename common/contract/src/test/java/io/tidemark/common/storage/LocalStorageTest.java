package io.tidemark.common.storage;

import io.tidemark.common.error.TidemarkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalStorageTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsInvisibleUntilItsStreamCloses() throws IOException {
        Storage storage = Storages.open(dir.toUri().toString());
        OutputStream out = storage.create("m1/shop.orders.000000000.sql");
        out.write("INSERT".getBytes(StandardCharsets.UTF_8));
        assertThat(storage.exists("m1/shop.orders.000000000.sql")).isFalse();
        assertThat(storage.list("m1")).isEmpty();
        out.close();
        assertThat(storage.list("m1")).containsExactly("m1/shop.orders.000000000.sql");
        assertThat(storage.resolve("m1").list("")).containsExactly("shop.orders.000000000.sql");
        try (var in = storage.open("m1/shop.orders.000000000.sql")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("INSERT");
        }
    }

    @Test
    void pathsCannotEscapeTheRoot() {
        Storage storage = new LocalStorage(dir);
        assertThatThrownBy(() -> storage.open("../etc/passwd")).hasMessageContaining("leaves the storage root");
    }

    @Test
    void plainPathsAndFileUrisOpenTheSameDirectory() throws IOException {
        Files.writeString(dir.resolve("metadata"), "x");
        assertThat(Storages.open(dir.toString()).exists("metadata")).isTrue();
        assertThat(Storages.open(dir.toUri().toString()).exists("metadata")).isTrue();
    }

    @Test
    void anUnknownSchemeIsNamed() {
        assertThatThrownBy(() -> Storages.open("gcs://bucket/x"))
                .isInstanceOf(TidemarkException.class)
                .hasMessageContaining("unsupported storage location 'gcs://bucket/x'");
    }
}

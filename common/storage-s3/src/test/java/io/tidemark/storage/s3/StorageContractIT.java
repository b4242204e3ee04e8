package io.tidemark.storage.s3;

import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.storage.Storages;
import io.tidemark.testkit.LocalS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/**
 * The storage SPI means the same on local disk and on S3: code written against a local directory (the dump, the
 * import planner, the completion marker) works unchanged on a bucket. Each case runs on both, in a fresh root.
 */
class StorageContractIT {
    @TempDir
    static Path dir;
    static LocalS3 s3;
    private static final AtomicInteger ROOTS = new AtomicInteger();

    record Kind(String name, Supplier<Storage> fresh) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startS3() {
        s3 = LocalS3.start(dir, "contract");
    }

    @AfterAll
    static void stopS3() {
        s3.stop();
    }

    static List<Kind> kinds() {
        return List.of(
                new Kind("local directory", () -> {
                    try {
                        return new LocalStorage(Files.createDirectories(dir.resolve("local-"
                                + ROOTS.incrementAndGet())));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }),
                new Kind("S3 prefix", () -> Storages.open(s3.location("contract", "root-" + ROOTS.incrementAndGet()))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aFileIsInvisibleUntilItsStreamClosesThenReplacesTheOldOne(Kind kind) throws IOException {
        Storage storage = kind.fresh().get();
        write(storage, "m1/tidemark-snapshot.json", "old");

        OutputStream out = storage.create("m1/tidemark-snapshot.json");
        out.write("new".getBytes(StandardCharsets.UTF_8));
        assertThat(read(storage.open("m1/tidemark-snapshot.json"))).isEqualTo("old");
        out.close();

        assertThat(read(storage.open("m1/tidemark-snapshot.json"))).isEqualTo("new");
        assertThat(storage.size("m1/tidemark-snapshot.json")).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void listingsAreSortedOneLevelAndLeaveHiddenNamesOut(Kind kind) throws IOException {
        Storage storage = kind.fresh().get();
        for (String f : List.of("db/db.t/2/part-1.parquet", "db/db.t/10/part-0.parquet", "db/db.t/_SUCCESS",
                "db/db.t/.part-9.tmp", "db/db.t/.hidden/x", "db/b.sql", "db/a.sql", "top")) {
            write(storage, f, f);
        }

        assertThat(storage.list("")).containsExactly("top");
        assertThat(storage.list("db")).containsExactly("db/a.sql", "db/b.sql");
        assertThat(storage.list("db/db.t")).containsExactly("db/db.t/_SUCCESS");
        assertThat(storage.directories("")).containsExactly("db");
        assertThat(storage.directories("db/db.t")).containsExactly("db/db.t/10", "db/db.t/2");
        assertThat(storage.walk("db/db.t")).containsExactly(entry("db/db.t/10/part-0.parquet", 25L),
                entry("db/db.t/2/part-1.parquet", 24L), entry("db/db.t/_SUCCESS", 16L));
        assertThat(storage.resolve("db").walk("").keySet()).containsExactly("a.sql", "b.sql",
                "db.t/10/part-0.parquet", "db.t/2/part-1.parquet", "db.t/_SUCCESS");
        assertThat(storage.list("absent")).isEmpty();
        assertThat(storage.directories("absent")).isEmpty();
        assertThat(storage.walk("absent")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void rangedReadsStopAtTheEndOfTheFile(Kind kind) throws IOException {
        Storage storage = kind.fresh().get();
        write(storage, "data.csv", "0123456789");

        assertThat(read(storage.open("data.csv", 2, 3))).isEqualTo("234");
        assertThat(read(storage.open("data.csv", 7, 100))).isEqualTo("789");
        assertThat(read(storage.open("data.csv", 10, 5))).isEmpty();
        assertThat(read(storage.open("data.csv", 50, 5))).isEmpty();
        assertThat(read(storage.open("data.csv", 4, 0))).isEmpty();
        assertThat(read(storage.open("data.csv", 0, Long.MAX_VALUE))).isEqualTo("0123456789");
        assertThatThrownBy(() -> storage.open("data.csv", 0, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aMissingFileIsNoSuchFileAndDeletingItIsFine(Kind kind) throws IOException {
        Storage storage = kind.fresh().get();

        assertThat(storage.exists("none")).isFalse();
        assertThatThrownBy(() -> storage.open("none")).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> storage.open("none", 3, 3)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> storage.size("none")).isInstanceOf(NoSuchFileException.class);
        storage.delete("none");
        assertThatThrownBy(() -> storage.open("../escape")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaves the storage root");
    }

    private static void write(Storage storage, String path, String content) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}

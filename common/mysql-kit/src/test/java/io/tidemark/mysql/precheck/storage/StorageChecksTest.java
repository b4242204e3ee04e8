package io.tidemark.mysql.precheck.storage;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.storage.LocalStorage;
import io.tidemark.common.storage.Storage;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Prechecks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class StorageChecksTest {
    @Test
    void aWritableDirectoryPassesAndKeepsNoProbe(@TempDir Path dir) throws IOException {
        Storage storage = new LocalStorage(dir);

        CheckResult result = Prechecks.run(StorageChecks.all(), storage).results().getFirst();

        assertThat(result.state()).as(result.toString()).isEqualTo(CheckResult.State.PASS);
        try (Stream<Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    record Failure(String what, IOException error, ErrorCode code, String message, String instruction) {
        @Override
        public String toString() {
            return what;
        }
    }

    static Stream<Failure> failures() {
        return Stream.of(
                new Failure("permission", new AccessDeniedException("/dumps/.tidemark-precheck"),
                        ErrorCode.STORAGE_NOT_WRITABLE, "permission denied (/dumps/.tidemark-precheck)", "chown"),
                new Failure("read-only mount", new FileSystemException("/dumps/x.probe", null, "Read-only file system"),
                        ErrorCode.STORAGE_NOT_WRITABLE, "the file system is mounted read-only (/dumps/x.probe)",
                        "read-write"),
                new Failure("missing parent", new NoSuchFileException("/dumps/gone"), ErrorCode.STORAGE_NOT_WRITABLE,
                        "a directory on the way does not exist (/dumps/gone)", "create the location's directory"),
                new Failure("disk full", new IOException("No space left on device"), ErrorCode.STORAGE_NOT_WRITABLE,
                        "the disk is full", "free space"),
                new Failure("anything else", new IOException("S3 answered 503 Slow Down"), ErrorCode.STORAGE_IO,
                        "S3 answered 503 Slow Down", "Tidemark retries"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aStorageThatRefusesTheProbeNamesTheCause(Failure f) {
        CheckResult result = Prechecks.run(StorageChecks.all(), refusing(f.error())).results().getFirst();

        assertThat(result.state()).isEqualTo(CheckResult.State.FAIL);
        assertThat(result.error().error()).isEqualTo(f.code());
        assertThat(result.message()).startsWith("storage file:///dumps/ ").contains(f.message())
                .doesNotContain("Exception");
        assertThat(result.instruction()).contains(f.instruction());
    }

    /** a storage whose writes fail as a file system would make them fail */
    private static Storage refusing(IOException error) {
        return new Storage() {
            public URI root() {
                return URI.create("file:///dumps/");
            }

            public OutputStream create(String path) throws IOException {
                throw error;
            }

            public InputStream open(String path) throws IOException {
                throw error;
            }

            public boolean exists(String path) {
                return false;
            }

            public long size(String path) throws IOException {
                throw error;
            }

            public List<String> list(String directory) {
                return List.of();
            }

            public void delete(String path) throws IOException {
                throw error;
            }

            public Storage resolve(String subdirectory) {
                return this;
            }
        };
    }
}

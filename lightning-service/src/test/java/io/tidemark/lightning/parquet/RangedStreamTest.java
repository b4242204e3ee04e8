package io.tidemark.lightning.parquet;

import io.tidemark.common.storage.LocalStorage;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The seekable stream parquet-java reads a storage's file through: every way it reads returns the file's own bytes
 * wherever it seeks, it asks the storage for no more than it needs, and it tells a storage failure from a short file.
 */
class RangedStreamTest {
    private static final int READ_AHEAD = 1024;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, READ_AHEAD - 1, READ_AHEAD, READ_AHEAD + 1, 7 * READ_AHEAD + 13})
    void everyReadAtEverySeekReturnsTheFilesBytes(int size) throws Exception {
        byte[] file = write("f", size, 1);
        Random random = new Random(size);
        RecordingStorage storage = new RecordingStorage(new LocalStorage(dir));
        try (SeekableInputStream in = new ParquetInput(storage, "f", size, READ_AHEAD).newStream()) {
            for (int i = 0; i < 2_000; i++) {
                long at = size == 0 ? 0 : random.nextInt(size + 1);
                in.seek(at);
                int len = random.nextInt(Math.max(1, 3 * READ_AHEAD));
                int left = (int) (size - at);
                switch (random.nextInt(5)) {
                    case 0 -> {
                        int b = in.read();
                        assertThat(b).isEqualTo(left == 0 ? -1 : file[(int) at] & 0xff);
                    }
                    case 1 -> {
                        byte[] out = new byte[len + 5];
                        int n = in.read(out, 5, len);
                        if (len == 0) {
                            assertThat(n).isZero();
                        } else if (left == 0) {
                            assertThat(n).isEqualTo(-1);
                        } else {
                            assertThat(n).isBetween(1, Math.min(len, left));
                            assertThat(Arrays.copyOfRange(out, 5, 5 + n))
                                    .isEqualTo(Arrays.copyOfRange(file, (int) at, (int) at + n));
                        }
                    }
                    case 2 -> {
                        int n = Math.min(len, left);
                        byte[] out = new byte[n];
                        in.readFully(out);
                        assertThat(out).isEqualTo(Arrays.copyOfRange(file, (int) at, (int) at + n));
                    }
                    case 3 -> {
                        int n = Math.min(len, left);
                        ByteBuffer heap = ByteBuffer.allocate(n + 3).position(3);
                        in.readFully(heap);
                        assertThat(Arrays.copyOfRange(heap.array(), 3, 3 + n))
                                .isEqualTo(Arrays.copyOfRange(file, (int) at, (int) at + n));
                    }
                    default -> {
                        int n = Math.min(len, left);
                        ByteBuffer direct = ByteBuffer.allocateDirect(n);
                        in.readFully(direct);
                        byte[] out = new byte[n];
                        direct.flip().get(out);
                        assertThat(out).isEqualTo(Arrays.copyOfRange(file, (int) at, (int) at + n));
                    }
                }
                assertThat(in.getPos()).isBetween(at, (long) size);
            }
        }
        // and nothing is ever read from the start of the file to reach a byte in the middle
        assertThat(storage.wholeReads()).isEmpty();
    }

    @Test
    void aFooterReadBackwardsFromTheEndIsOneRequestForTheTail() throws Exception {
        // given a file whose footer (length, magic) ends it, as a Parquet file's does
        int size = 50 * READ_AHEAD;
        write("f", size, 2);
        RecordingStorage storage = new RecordingStorage(new LocalStorage(dir));
        try (SeekableInputStream in = new ParquetInput(storage, "f", size, READ_AHEAD).newStream()) {
            // when it is read as parquet-java reads it: the footer's length and magic, then the footer before them
            in.seek(size - 8);
            ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            in.readFully(tail);
            int footer = 600;
            in.seek(size - 8 - footer);
            in.readFully(new byte[footer]);

            // then the storage was asked once, for the file's last read-ahead bytes only
            assertThat(storage.ranges()).containsExactly(
                    new RecordingStorage.Range("f", size - READ_AHEAD, READ_AHEAD));

            // and a large read elsewhere is one request for exactly its bytes, read straight into the caller's array
            storage.clear();
            in.seek(READ_AHEAD * 3L + 5);
            in.readFully(new byte[10 * READ_AHEAD]);
            assertThat(storage.ranges()).containsExactly(
                    new RecordingStorage.Range("f", READ_AHEAD * 3L + 5, 10L * READ_AHEAD));
            assertThat(storage.delivered()).isEqualTo(10L * READ_AHEAD);
        }
    }

    @Test
    void aFileShorterThanItsLengthEndsTheReadAsEofNamingTheFile() throws Exception {
        // given a file opened at one length, then cut shorter
        write("f", 4 * READ_AHEAD, 3);
        ParquetInput input = new ParquetInput(new LocalStorage(dir), "f", 4 * READ_AHEAD, READ_AHEAD);
        Files.write(dir.resolve("f"), new byte[2 * READ_AHEAD]);

        try (SeekableInputStream in = input.newStream()) {
            assertThatThrownBy(() -> in.readFully(new byte[4 * READ_AHEAD]))
                    .isInstanceOf(EOFException.class)
                    .hasMessageContaining("f ends at byte " + 2 * READ_AHEAD)
                    .hasMessageContaining("truncated or replaced while it was read");
            // and it never seeks or reads past the length it was opened with
            assertThatThrownBy(() -> in.seek(4 * READ_AHEAD + 1)).isInstanceOf(EOFException.class);
            in.seek(4 * READ_AHEAD);
            assertThat(in.read()).isEqualTo(-1);
            assertThatThrownBy(() -> in.readFully(new byte[1])).isInstanceOf(EOFException.class);
        }
    }

    @Test
    void aStorageFailingUnderAReadIsAStorageFailureAndAMissingFileIsMissing() throws Exception {
        write("f", 4 * READ_AHEAD, 4);
        RecordingStorage storage = new RecordingStorage(new LocalStorage(dir));
        storage.breakReadsFrom(0);
        try (SeekableInputStream in = new ParquetInput(storage, "f", 4 * READ_AHEAD, READ_AHEAD).newStream()) {
            assertThatThrownBy(() -> in.readFully(new byte[2 * READ_AHEAD]))
                    .isInstanceOf(ParquetErrors.StorageReadFailed.class)
                    .hasMessageContaining("reading f at byte 0 failed: Connection reset");
        }
        try (SeekableInputStream in = new ParquetInput(new LocalStorage(dir), "gone", 100, READ_AHEAD).newStream()) {
            assertThatThrownBy(in::read).isInstanceOf(NoSuchFileException.class);
        }
    }

    private byte[] write(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.write(dir.resolve(name), bytes);
        return bytes;
    }
}

package io.tidemark.lightning.storage;

import com.github.luben.zstd.ZstdOutputStream;
import io.tidemark.common.table.TableRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xerial.snappy.SnappyFramedOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileCompressionTest {
    private static final TableRef TABLE = TableRef.of("shop", "orders");
    /** enough rows that each compressed form spans several internal blocks/frames */
    private static final byte[] ROWS = rows();

    @Test
    void theSuffixesAreLightningsAndTheUncompressedNameSaysTheFileType() {
        assertThat(FileCompression.of("a/shop.orders.000000001.sql.gz")).isEqualTo(FileCompression.GZIP);
        assertThat(FileCompression.of("shop.orders.000000001.csv.GZIP")).isEqualTo(FileCompression.GZIP);
        assertThat(FileCompression.of("shop.orders.000000001.csv.zst")).isEqualTo(FileCompression.ZSTD);
        assertThat(FileCompression.of("shop.orders.000000001.csv.zstd")).isEqualTo(FileCompression.ZSTD);
        assertThat(FileCompression.of("shop.orders.000000001.sql.snappy")).isEqualTo(FileCompression.SNAPPY);
        assertThat(FileCompression.of("shop.orders.000000001.sql")).isEqualTo(FileCompression.NONE);
        assertThat(FileCompression.of("part-0.gz.parquet")).isEqualTo(FileCompression.NONE);
        assertThat(FileCompression.uncompressedName("shop.orders.000000001.csv.zst"))
                .isEqualTo("shop.orders.000000001.csv");
        assertThat(FileCompression.uncompressedName("shop.orders.000000001.csv")).isEqualTo("shop.orders.000000001.csv");
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.sql.gz", "x.sql.zst", "x.sql.snappy"})
    void eachCompressionReadsBackTheExactBytes(String file) throws Exception {
        byte[] compressed = compress(file, ROWS);
        assertThat(compressed.length).isLessThan(ROWS.length);
        try (InputStream in = FileCompression.of(file).open(new ByteArrayInputStream(compressed), file, TABLE)) {
            assertThat(in.readAllBytes()).isEqualTo(ROWS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.sql.gz", "x.csv.zst", "x.sql.snappy"})
    void aTruncatedFileIsCorruptNamingFileTableAndWhere(String file) throws Exception {
        byte[] compressed = compress(file, ROWS);
        byte[] cut = Arrays.copyOf(compressed, compressed.length / 2);
        InputStream in = FileCompression.of(file).open(new ByteArrayInputStream(cut), file, TABLE);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(FileCompression.CorruptInput.class)
                .hasMessageContaining("-compressed but its bytes do not decompress after")
                .hasMessageContaining("truncated or damaged")
                .hasMessageContaining(TABLE.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x.sql.gz", "x.csv.zst", "x.sql.snappy"})
    void bytesThatAreNotOfThatCompressionAreCorruptFromTheFirstRead(String file) {
        InputStream in = FileCompression.of(file).open(new ByteArrayInputStream(ROWS), file, TABLE);
        assertThatThrownBy(in::readAllBytes).isInstanceOf(FileCompression.CorruptInput.class)
                .hasMessageContaining("after 0 decompressed bytes");
    }

    @Test
    void aStorageFailureMidStreamStaysTheStoragesNotTheFiles() throws Exception {
        byte[] compressed = compress("x.gz", ROWS);
        InputStream failing = new FilterInputStream(new ByteArrayInputStream(compressed)) {
            private int served;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served > compressed.length / 3) {
                    throw new IOException("connection reset");
                }
                int n = super.read(b, off, Math.min(len, 512));
                served += Math.max(n, 0);
                return n;
            }
        };
        InputStream in = FileCompression.GZIP.open(failing, "x.gz", TABLE);
        assertThatThrownBy(in::readAllBytes).isNotInstanceOf(FileCompression.CorruptInput.class)
                .hasMessage("connection reset");
    }

    private static byte[] compress(String file, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream c = switch (FileCompression.of(file)) {
            case GZIP -> new GZIPOutputStream(out);
            case ZSTD -> new ZstdOutputStream(out);
            case SNAPPY -> new SnappyFramedOutputStream(out);
            case NONE -> out;
        }) {
            c.write(data);
        }
        return out.toByteArray();
    }

    private static byte[] rows() {
        StringBuilder sql = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            sql.append("INSERT INTO `orders` VALUES (").append(i).append(",'row ").append(i * 7919 % 10007)
                    .append("');\n");
        }
        return sql.toString().getBytes(StandardCharsets.UTF_8);
    }
}

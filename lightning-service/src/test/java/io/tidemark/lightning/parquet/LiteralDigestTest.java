package io.tidemark.lightning.parquet;

import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.RowDigest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A value read back from the literal the Parquet path sends digests as the value itself does: every byte through the
 * string escapes, UTF-8 text, dates, numbers at their edges. (That the value itself digests as the target's
 * ValueChecksum does is ValueChecksumIT's and ParquetImportIT's to show.)
 */
class LiteralDigestTest {
    private static final DigestColumn BLOB = DigestColumns.column("b", "varbinary", "varbinary(300)", 0, 0, 300, null);
    private static final DigestColumn TEXT = DigestColumns.column("t", "varchar", "varchar(100)", 0, 0, 400,
            "utf8mb4");
    private static final DigestColumn LATIN = DigestColumns.column("l", "varchar", "varchar(10)", 0, 0, 10, "latin1");
    private static final DigestColumn DATETIME = DigestColumns.column("d", "datetime", "datetime", 0, 0, 0, null);
    private static final DigestColumn YEAR = DigestColumns.column("y", "year", "year(4)", 0, 0, 0, null);
    private static final DigestColumn UNSIGNED = DigestColumns.column("u", "bigint", "bigint(20) unsigned", 0, 0, 0,
            null);
    private static final DigestColumn DECIMAL = DigestColumns.column("m", "decimal", "decimal(20,4)", 4, 0, 0, null);

    @Test
    void everyByteThroughTheStringEscapesDigestsAsTheBytes() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        StringBuilder sql = new StringBuilder();
        SqlLiterals.bytes(all, 0, all.length, sql);
        assertThat(fromLiteral(BLOB, sql)).isEqualTo(direct(BLOB, d -> d.bytes(0, all)));
        // and one byte less is another digest: the escapes are not lossy
        byte[] less = java.util.Arrays.copyOf(all, 255);
        assertThat(fromLiteral(BLOB, sql)).isNotEqualTo(direct(BLOB, d -> d.bytes(0, less)));
    }

    @Test
    void utf8TextWithQuotesBackslashesAndControlsDigestsAsTheText() {
        String value = "Zoë 😀 it's a \\ and a \0 and \n \r \u001a 中文";
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        StringBuilder sql = new StringBuilder();
        SqlLiterals.text(utf8, 0, utf8.length, sql);
        assertThat(sql.toString()).startsWith("_utf8mb4'");
        assertThat(fromLiteral(TEXT, sql)).isEqualTo(direct(TEXT, d -> d.text(0, value)));
        // text converted into a latin1 column digests as its characters, as CONVERT(... USING utf8mb4) reads it
        byte[] cafe = "café".getBytes(StandardCharsets.UTF_8);
        StringBuilder latin = new StringBuilder();
        SqlLiterals.text(cafe, 0, cafe.length, latin);
        assertThat(fromLiteral(LATIN, latin)).isEqualTo(direct(LATIN, d -> d.bytes(0,
                "café".getBytes(java.nio.charset.Charset.forName("windows-1252")))));
    }

    @Test
    void datesAndNumbersAtTheirEdgesDigestAsTheServerRendersThem() {
        // a DATETIME literal with six zero fraction digits is the second itself in a DATETIME(0)
        assertThat(fromLiteral(DATETIME, new StringBuilder("'" + SqlLiterals.dateTime(0) + "'")))
                .isEqualTo(direct(DATETIME, d -> d.text(0, "1970-01-01 00:00:00")));
        // Parquet's INT32 0 in a YEAR column is the year 0000 (a number, not the text "0")
        assertThat(fromLiteral(YEAR, new StringBuilder("0"))).isEqualTo(direct(YEAR, d -> d.number(0, 0)));
        assertThat(fromLiteral(YEAR, new StringBuilder("99"))).isEqualTo(direct(YEAR, d -> d.text(0, "1999")));
        // integers beyond a long go as text
        assertThat(fromLiteral(UNSIGNED, new StringBuilder("18446744073709551615")))
                .isEqualTo(direct(UNSIGNED, d -> d.text(0, "18446744073709551615")));
        assertThat(fromLiteral(UNSIGNED, new StringBuilder("-9223372036854775808")))
                .isEqualTo(direct(UNSIGNED, d -> d.text(0, "-9223372036854775808")));
        assertThat(fromLiteral(DECIMAL, new StringBuilder("-0.5"))).isEqualTo(direct(DECIMAL, d -> d.text(0,
                "-0.5000")));
    }

    @Test
    void aDatetimeWhoseFractionTheColumnWouldRoundLeavesTheDigestIncomplete() {
        RowDigest digest = new RowDigest(List.of(DATETIME));
        StringBuilder sql = new StringBuilder("'2024-01-01 00:00:00.500000'");
        new LiteralDigest().add(digest, 0, sql, 0, sql.length());
        digest.endRow();
        assertThat(digest.complete()).isFalse();
    }

    /** the digest of one row holding the literal, read back in the session view */
    private static Long fromLiteral(DigestColumn column, StringBuilder sql) {
        RowDigest digest = new RowDigest(List.of(column));
        // amid a row's other literals, as the loader writes it
        StringBuilder padded = new StringBuilder("(1,").append(sql).append(')');
        new LiteralDigest().add(digest, 0, padded, 3, padded.length() - 1);
        digest.endRow();
        return digest.complete() ? digest.sum() : null;
    }

    private static Long direct(DigestColumn column, Consumer<RowDigest> value) {
        RowDigest digest = new RowDigest(List.of(column));
        value.accept(digest);
        digest.endRow();
        assertThat(digest.complete()).isTrue();
        return digest.sum();
    }
}

package io.tidemark.lightning.chunk;

import io.tidemark.common.command.CsvFormat;
import io.tidemark.mysql.checksum.DigestColumn;
import io.tidemark.mysql.checksum.DigestColumns;
import io.tidemark.mysql.checksum.RowDigest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CSV file's rows digest as the values LOAD DATA stores from them (the statement's dialect: ',' '"' '\\' '\n',
 * one header line), and a file whose reading is not certain gives no sum rather than a wrong one. That the values
 * digest as the target's checksum does is ImportIT's to show.
 */
class CsvDigestTest {
    private static final DigestColumn ID = DigestColumns.column("id", "int", "int(11)", 0, 0, 0, null);
    private static final DigestColumn S = DigestColumns.column("s", "varchar", "varchar(50)", 0, 0, 200, "utf8mb4");
    private static final DigestColumn B = DigestColumns.column("b", "varbinary", "varbinary(50)", 0, 0, 50, null);

    @Test
    void escapesQuotesAndNullsReadAsLoadDataReadsThem() throws IOException {
        String file = "\"id\",\"s\",\"b\"\n"
                + "1,\"a,\"\"b\"\"\",\\0\\b\\t\\Z\\n\\x\n"
                + "2,NULL,\"NULL\"\n"
                + "3,\\N,\"line\nbreak\"\n"
                + "4,,\"\"";  // no newline after the last row
        Long sum = digestOf(file, 4, ID, S, B);
        assertThat(sum).isEqualTo(direct(List.of(ID, S, B), d -> {
            row(d, "1", "a,\"b\"", new byte[]{0, '\b', '\t', 0x1a, '\n', 'x'});
            row(d, "2", null, "NULL".getBytes(StandardCharsets.US_ASCII));
            row(d, "3", null, "line\nbreak".getBytes(StandardCharsets.US_ASCII));
            row(d, "4", "", new byte[0]);
        }));
    }

    @Test
    void aFileWhoseReadingIsNotCertainGivesNoSum() throws IOException {
        // a quote inside quotes followed by another byte: servers differ on it
        assertThat(digestOf("\"id\",\"s\",\"b\"\n1,\"a\"b,x\n", 1, ID, S, B)).isNull();
        // \N amid other bytes
        assertThat(digestOf("\"id\",\"s\",\"b\"\n1,a\\N,x\n", 1, ID, S, B)).isNull();
        // a field too few
        assertThat(digestOf("\"id\",\"s\",\"b\"\n1,a\n", 1, ID, S, B)).isNull();
        // the server read another number of rows than the digest did
        assertThat(digestOf("\"id\",\"s\",\"b\"\n1,a,b\n", 2, ID, S, B)).isNull();
        // a BIT column, whose text LOAD DATA stores as bytes
        DigestColumn bit = DigestColumns.column("t", "bit", "bit(8)", 0, 0, 0, null);
        assertThat(digestOf("\"id\",\"t\"\n1,5\n", 1, ID, bit)).isNull();
        // while the same file without them sums
        assertThat(digestOf("\"id\",\"s\",\"b\"\n1,a,b\n", 1, ID, S, B)).isNotNull();
    }

    @Test
    void aDialectOfPipesSingleQuotesNullWordsAndCrlfWithoutHeaderReadsAsLoadDataReadsIt() throws IOException {
        CsvFormat pipes = new CsvFormat("|", "'", "\r\n", false, List.of("NULL"), true);
        String file = "1|'a|''b'''|x\r\n"
                + "2|NULL|'NULL'\r\n"
                + "3|'line\r\nbreak'|\\|\r\n"
                + "4||''\r\n";
        Long sum = digestOf(file, 4, pipes, true, ID, S, B);
        assertThat(sum).isEqualTo(direct(List.of(ID, S, B), d -> {
            row(d, "1", "a|'b'", "x".getBytes(StandardCharsets.US_ASCII));
            row(d, "2", null, "NULL".getBytes(StandardCharsets.US_ASCII));
            row(d, "3", "line\r\nbreak", "|".getBytes(StandardCharsets.US_ASCII));
            row(d, "4", "", new byte[0]);
        }));
    }

    @Test
    void separatorsAndTerminatorsOfSeveralBytesEndFieldsOnlyWhereNoEscapeOrQuoteMadeThem() throws IOException {
        CsvFormat wide = new CsvFormat("||", "", "##\n", true, List.of("\\N"), true);
        // an escaped byte starts no separator or terminator; a lone '|' or "\n" is no separator or terminator
        String file = "id||s||b##\n1||a\\|||\\|b##\n2||z\\##\n##|x||\\N##\n";
        Long sum = digestOf(file, 2, wide, false, ID, S, B);
        assertThat(sum).isEqualTo(direct(List.of(ID, S, B), d -> {
            row(d, "1", "a|", "|b".getBytes(StandardCharsets.US_ASCII));
            d.text(0, "2");
            d.bytes(1, "z##\n##|x".getBytes(StandardCharsets.US_ASCII));
            d.nul(2);
            d.endRow();
        }));
    }

    @Test
    void anUnquotedNullWordIsAStringWhenFieldsAreNotQuoted() throws IOException {
        CsvFormat bare = new CsvFormat(",", "", "", true, List.of("\\N"), true);
        assertThat(digestOf("id,s,b\n1,NULL,\\N\n", 1, bare, false, ID, S, B)).isEqualTo(direct(List.of(ID, S, B),
                d -> {
                    d.text(0, "1");
                    d.bytes(1, "NULL".getBytes(StandardCharsets.US_ASCII));
                    d.nul(2);
                    d.endRow();
                }));
    }

    private static Long digestOf(String file, long rowsTheServerRead, DigestColumn... columns) throws IOException {
        return digestOf(file, rowsTheServerRead, CsvFormat.dumpling(), false, columns);
    }

    private static Long digestOf(String file, long rowsTheServerRead, CsvFormat format, boolean oneByteReads,
                                 DigestColumn... columns) throws IOException {
        int[] index = new int[columns.length];
        for (int i = 0; i < index.length; i++) {
            index[i] = i;
        }
        CsvDigest digest = new CsvDigest(new ChunkDigest(new RowDigest(List.of(columns)), index), format.header(),
                format);
        try (InputStream in = digest.tee(new ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)))) {
            byte[] buffer = new byte[oneByteReads ? 1 : 7]; // rows cross reads, as they cross the driver's
            while (in.read(buffer, 0, buffer.length) >= 0) {
                // read to the end, as LOAD DATA LOCAL does
            }
        }
        return digest.sum(rowsTheServerRead);
    }

    private static void row(RowDigest d, String id, String s, byte[] b) {
        d.text(0, id);
        if (s == null) {
            d.nul(1);
        } else {
            d.bytes(1, s.getBytes(StandardCharsets.UTF_8));
        }
        d.bytes(2, b);
        d.endRow();
    }

    private static long direct(List<DigestColumn> columns, java.util.function.Consumer<RowDigest> rows) {
        RowDigest d = new RowDigest(columns);
        rows.accept(d);
        assertThat(d.complete()).isTrue();
        return d.sum();
    }
}

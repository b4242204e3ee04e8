package io.tidemark.lightning.plan;

import io.tidemark.common.command.ImportChunk.ByteRange;
import io.tidemark.common.storage.LocalStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a CSV file is cut: at line ends only, every byte in exactly one range, the header in the first. */
class CsvChunksTest {
    @TempDir
    Path dir;

    @Test
    void eachRangeEndsAtTheLineFeedAfterItsNominalEndSoNoRowIsCut() throws Exception {
        String csv = "\"id\",\"label\"\n1,\"one\"\n22,\"twenty-two\"\n3,\"three\"\n";
        List<ByteRange> ranges = split(csv, 16);

        assertThat(pieces(csv, ranges)).containsExactly("\"id\",\"label\"\n1,\"one\"\n",
                "22,\"twenty-two\"\n", "3,\"three\"\n");
        assertCovers(ranges, csv.length());
    }

    @Test
    void aNominalEndRightAfterALineFeedCutsThere() throws Exception {
        String csv = "ab\ncd\nef\n";
        assertThat(pieces(csv, split(csv, 3))).containsExactly("ab\n", "cd\n", "ef\n");
        assertThat(pieces(csv, split(csv, 4))).containsExactly("ab\ncd\n", "ef\n");
    }

    @Test
    void crlfRowsEndAtTheirLineFeedNeverBetweenCrAndLf() throws Exception {
        String csv = "\"id\"\r\n1\r\n2\r\n3\r\n";
        // the nominal end's last byte is the CR of row "1"
        List<ByteRange> ranges = split(csv, 8);
        assertThat(pieces(csv, ranges)).containsExactly("\"id\"\r\n1\r\n", "2\r\n3\r\n");
        assertThat(pieces(csv, ranges)).allMatch(p -> p.endsWith("\r\n"));
    }

    @Test
    void aLastLineWithoutLineFeedEndsTheLastRangeAtTheFileEnd() throws Exception {
        String csv = "h\n1111\n2222\n3333";
        List<ByteRange> ranges = split(csv, 5);
        assertThat(pieces(csv, ranges)).containsExactly("h\n1111\n", "2222\n", "3333");
        assertCovers(ranges, csv.length());
    }

    @Test
    void aRowLongerThanTheChunkIsOneRangeAndSoIsAFileWithNoLineFeedAfterTheNominalEnd() throws Exception {
        String csv = "h\n" + "x".repeat(200_000) + "\ny\n";
        assertThat(pieces(csv, split(csv, 10))).containsExactly("h\n" + "x".repeat(200_000) + "\n", "y\n");
        String tail = "h\n12";
        assertThat(pieces(tail, split(tail, 3))).containsExactly("h\n12");
    }

    @Test
    void aFileNoLargerThanTheChunkIsOneRangeAndAnEmptyFileNone() throws Exception {
        assertThat(split("h\n1\n", 4)).containsExactly(new ByteRange(0, 4));
        assertThat(split("h\n1\n", 1 << 20)).containsExactly(new ByteRange(0, 4));
        assertThat(CsvChunks.cut(0, 10, offset -> 0)).isEmpty();
    }

    private List<ByteRange> split(String csv, long chunkBytes) throws Exception {
        Files.writeString(dir.resolve("t.csv"), csv, StandardCharsets.ISO_8859_1);
        return CsvChunks.split(new LocalStorage(dir), "t.csv", csv.length(), chunkBytes);
    }

    private static List<String> pieces(String csv, List<ByteRange> ranges) {
        List<String> pieces = new ArrayList<>();
        for (ByteRange r : ranges) {
            pieces.add(csv.substring((int) r.from(), (int) r.to()));
        }
        return pieces;
    }

    private static void assertCovers(List<ByteRange> ranges, long size) {
        assertThat(ranges.getFirst().from()).isZero();
        assertThat(ranges.getLast().to()).isEqualTo(size);
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).from()).isEqualTo(ranges.get(i - 1).to());
        }
    }
}

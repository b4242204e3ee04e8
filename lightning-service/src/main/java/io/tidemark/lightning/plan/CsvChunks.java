package io.tidemark.lightning.plan;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.storage.Storage;
import io.tidemark.lightning.storage.ReadFailures;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How an uncompressed CSV file is cut into byte ranges, TiDB Lightning's {@code strict-format} rule: each range of
 * nominally {@code chunkBytes} ends just after the first line feed at or after its nominal end, so no row is cut
 * (a CRLF row ends at its LF too). Only sound when no value holds a raw line feed, which only the import's options can
 * promise: a compressed file cannot be read from the middle, so it stays one chunk. Reads only a window after each
 * nominal end, through ranged reads.
 */
final class CsvChunks {
    /** how far a nominal end is looked past per read, until a line feed turns up */
    private static final int WINDOW = 64 * 1024;

    private CsvChunks() {
    }

    /** where the line after {@code offset} starts: just after the first line feed at or after it, or the end */
    interface LineStarts {
        long after(long offset);
    }

    static boolean handles(String file) {
        return file.endsWith(".csv");
    }

    /**
     * @return the ranges, in order, covering {@code [0, size)}; a single one (the whole file) when no cut falls
     * inside it
     */
    static List<ImportChunk.ByteRange> cut(long size, long chunkBytes, LineStarts lines) {
        List<ImportChunk.ByteRange> ranges = new ArrayList<>();
        long from = 0;
        while (size - from > chunkBytes) {
            // the line holding the nominal end's last byte ends this range
            long to = lines.after(from + chunkBytes - 1);
            if (to >= size) {
                break;
            }
            ranges.add(new ImportChunk.ByteRange(from, to));
            from = to;
        }
        if (size > 0) {
            ranges.add(new ImportChunk.ByteRange(from, size));
        }
        return ranges;
    }

    /** the ranges of {@code file} in {@code storage}, its line feeds found by ranged reads */
    static List<ImportChunk.ByteRange> split(Storage storage, String file, long size, long chunkBytes) {
        return cut(size, chunkBytes, offset -> lineStart(storage, file, size, offset));
    }

    private static long lineStart(Storage storage, String file, long size, long offset) {
        byte[] buffer = new byte[WINDOW];
        for (long at = offset; at < size; at += WINDOW) {
            int length = (int) Math.min(WINDOW, size - at);
            try (InputStream in = storage.open(file, at, length)) {
                int n = in.readNBytes(buffer, 0, length);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        return at + i + 1;
                    }
                }
            } catch (IOException e) {
                throw ReadFailures.of(file, storage.root(), "read", e);
            }
        }
        return size;
    }
}

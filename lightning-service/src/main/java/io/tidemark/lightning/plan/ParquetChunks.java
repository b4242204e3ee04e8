package io.tidemark.lightning.plan;

import io.tidemark.common.command.ImportChunk;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import io.tidemark.lightning.parquet.ParquetRows;

import java.util.ArrayList;
import java.util.List;

/**
 * How a Parquet file is cut into chunks: runs of consecutive row groups of at most {@code chunkBytes} compressed bytes
 * (a row group larger than that is a chunk of its own; one above the reader's limit is refused here, at plan time, as
 * {@code ROW_GROUP_TOO_LARGE}, before any row is written). Only the footer is read, through a ranged read.
 */
final class ParquetChunks {
    private ParquetChunks() {
    }

    /** one run of row groups and its compressed size; {@code rowGroups} null when it is the whole file */
    record Part(ImportChunk.RowGroups rowGroups, long bytes) {
    }

    static boolean handles(String file) {
        return file.endsWith(".parquet");
    }

    /**
     * @param fileBytes the file's size, which a chunk of the whole file reports
     */
    static List<Part> split(Storage storage, String file, long fileBytes, TableRef table, ParquetRows.Limits limits,
                            long chunkBytes) {
        List<ParquetRows.RowGroup> groups;
        try (ParquetRows rows = ParquetRows.open(storage, file, table, limits)) {
            groups = rows.rowGroups();
        } catch (TidemarkException e) {
            if (e.error() != ErrorCode.DUMP_FILE_CORRUPT) {
                throw e; // a row group too large fails the plan; a storage fault is retried with it
            }
            // an unreadable file is its chunk's to report, naming file and table, as every other file's fault is
            return List.of(new Part(null, fileBytes));
        }
        List<Part> parts = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (ParquetRows.RowGroup g : groups) {
            if (g.index() > from && bytes + g.compressedBytes() > chunkBytes) {
                parts.add(new Part(new ImportChunk.RowGroups(from, g.index()), bytes));
                from = g.index();
                bytes = 0;
            }
            bytes += g.compressedBytes();
        }
        if (parts.isEmpty()) {
            // one chunk for the whole file (also a file without row groups): its id stays the file's own
            return List.of(new Part(null, fileBytes));
        }
        parts.add(new Part(new ImportChunk.RowGroups(from, groups.size()), bytes));
        return parts;
    }
}

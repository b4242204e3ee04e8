package io.tidemark.lightning.parquet;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * The errors a Parquet file or an export layout can stop an import with, each naming the file (or folder), its table
 * and the fix. A file that cannot be read as Parquet is {@link ErrorCode#DUMP_FILE_CORRUPT}; an intact file Tidemark
 * cannot import is not: a type or value no MySQL column takes is {@link ErrorCode#DUMP_TYPE_UNSUPPORTED}, a row group
 * above the bound {@link ErrorCode#ROW_GROUP_TOO_LARGE}, an export still running {@link ErrorCode#EXPORT_INCOMPLETE};
 * and the storage failing under a read is the storage's error, which may pass ({@link #reading}).
 */
final class ParquetErrors {
    private ParquetErrors() {
    }

    /** the file is not a whole, readable Parquet file (truncated, overwritten, not Parquet at all) */
    static TidemarkException corrupt(String file, TableRef table, String why, Throwable cause) {
        return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, cause, file,
                "it is not a readable Parquet file of table " + table + " (" + why + "); copy the file again from"
                        + " the export, or export that table again");
    }

    /**
     * What a failure while parquet-java read the file means: the storage's own error when the storage failed (a
     * {@link TidemarkException} it raised, or a read that broke and may work again), a missing file when it is gone,
     * else a file that is not readable Parquet.
     *
     * @param what what was being read, e.g. "its footer cannot be read"
     */
    static TidemarkException reading(String file, TableRef table, String root, String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TidemarkException te) {
                return te;
            }
            if (t instanceof NoSuchFileException) {
                return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, e, file, "it is gone from " + root
                        + " (" + what + "); the rows of table " + table + " in it cannot be imported: copy the file"
                        + " back, or export that table again");
            }
            if (t instanceof StorageReadFailed failed) {
                return new TidemarkException(ErrorCode.STORAGE_IO, e, root, "reading " + file + " (" + what + ")"
                        + " failed: " + failed.getCause());
            }
            if (t instanceof EOFException) {
                break; // the file ends before its footer says: truncated or replaced
            }
        }
        return corrupt(file, table, what + ": " + e.getMessage(), e);
    }

    /** a column whose Parquet type or annotation no MySQL-family column takes */
    static TidemarkException unsupportedColumn(String file, TableRef table, String column, String type, String fix) {
        return new TidemarkException(ErrorCode.DUMP_TYPE_UNSUPPORTED, file, "column `" + column + "` of table "
                + table + " has the Parquet type " + type + ", which Tidemark cannot write into a MySQL-family column; "
                + fix);
    }

    /** a value of a mapped type that no MySQL-family column holds (NaN, an infinity) */
    static TidemarkException badValue(String file, TableRef table, String column, long row, String why) {
        return new TidemarkException(ErrorCode.DUMP_TYPE_UNSUPPORTED, file, "row " + row + " of the file, column `"
                + column + "` of table " + table + ": " + why);
    }

    static TidemarkException rowGroupTooLarge(String file, TableRef table, int rowGroup, long bytes, long limit) {
        return new TidemarkException(ErrorCode.ROW_GROUP_TOO_LARGE, rowGroup, file, table, bytes, limit);
    }

    /** @param problems every part that is not complete, each with what to do about it */
    static TidemarkException incomplete(String root, String problems) {
        return new TidemarkException(ErrorCode.EXPORT_INCOMPLETE, root, problems);
    }

    /**
     * A read of the storage failed below parquet-java, which would otherwise take any {@link IOException} for a file
     * it cannot parse: this one says the bytes never came, so the failure is the storage's and may pass.
     */
    static final class StorageReadFailed extends IOException {
        StorageReadFailed(String file, long offset, IOException cause) {
            super("reading " + file + " at byte " + offset + " failed: " + cause.getMessage(), cause);
        }
    }
}

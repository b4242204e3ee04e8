package io.tidemark.lightning.parquet;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;

/**
 * The errors a Parquet file or an export layout can stop an import with, each naming the file (or folder), its table
 * and the fix. The catalog has no code of its own for an unmappable type, an oversized row group or an unfinished
 * export yet, so they are reported as {@link ErrorCode#DUMP_FILE_CORRUPT} with the fix in the detail; this class is
 * the one place to change when the catalog gains them.
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

    static TidemarkException unsupportedColumn(String file, TableRef table, String column, String type, String fix) {
        return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, file, "column `" + column + "` of table " + table
                + " has the Parquet type " + type + ", which Tidemark cannot write into a MySQL-family column; " + fix);
    }

    static TidemarkException badValue(String file, TableRef table, String column, long row, String why) {
        return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, file, "row " + row + " of the file, column `"
                + column + "` of table " + table + ": " + why);
    }

    static TidemarkException rowGroupTooLarge(String file, TableRef table, int rowGroup, long bytes, long limit) {
        return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, file, "row group " + rowGroup + " of table "
                + table + " holds " + bytes + " compressed bytes, and a worker holds a whole row group in memory;"
                + " the limit is " + limit + " bytes (tidemark.lightning.max-row-group-bytes): raise it above "
                + bytes + " where the workers have the memory, or write the file with smaller row groups"
                + " (Spark: parquet.block.size; AWS exports keep theirs near 128 MB)");
    }

    static TidemarkException incomplete(String folder, String why) {
        return new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, folder, why);
    }
}

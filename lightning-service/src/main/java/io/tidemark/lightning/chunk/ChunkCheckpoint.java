package io.tidemark.lightning.chunk;

/**
 * A chunk's durable progress on the target: the first {@code statements} statements (ending at byte {@code bytes})
 * are committed, holding {@code rows} rows whose value digests sum to {@code valueSum}. Saved in the same transaction
 * as the statements it counts, so a chunk resumed after a crash reports the sum of all its rows, not of the rows of
 * its last delivery.
 *
 * @param valueSum the sum (modulo 2^64) of the committed rows' value digests ({@code RowDigest}); null where a
 *                 value's stored form was not known, the chunk's format is not digested, or the row was written by a
 *                 version without the column: the chunk then reports no sum and its table is verified by rows only
 */
record ChunkCheckpoint(long statements, long bytes, long rows, Long valueSum, Status status) {
    static final ChunkCheckpoint FRESH = new ChunkCheckpoint(0, 0, 0, 0L, Status.RUNNING);

    /** a checkpoint of a chunk whose values are not digested */
    ChunkCheckpoint(long statements, long bytes, long rows, Status status) {
        this(statements, bytes, rows, null, status);
    }

    /** persisted as its {@link #code()}, never an ordinal */
    enum Status {
        RUNNING("running"), DONE("done");

        private final String code;

        Status(String code) {
            this.code = code;
        }

        String code() {
            return code;
        }

        static Status ofCode(String code) {
            for (Status s : values()) {
                if (s.code.equals(code)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown chunk status '" + code + "' in tidemark_meta.import_chunks");
        }
    }

    boolean done() {
        return status == Status.DONE;
    }
}

package io.tidemark.lightning.chunk;

/**
 * A chunk's durable progress on the target: the first {@code statements} statements (ending at byte {@code bytes})
 * are committed, holding {@code rows} rows. Saved in the same transaction as the statements it counts.
 */
record ChunkCheckpoint(long statements, long bytes, long rows, Status status) {
    static final ChunkCheckpoint FRESH = new ChunkCheckpoint(0, 0, 0, Status.RUNNING);

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

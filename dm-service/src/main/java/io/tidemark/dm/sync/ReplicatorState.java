package io.tidemark.dm.sync;

import io.tidemark.common.position.BinlogPosition;

/**
 * Observed lifecycle of one replicator on this worker. Transitions: Starting → Streaming ⇄ Retrying, and from any of
 * them to a terminal Stopped, Failed or Fenced. Codes are persisted/exposed as {@link #code()}, never ordinals.
 */
public sealed interface ReplicatorState {
    String code();

    default boolean terminal() {
        return false;
    }

    record Starting(long attempt) implements ReplicatorState {
        public String code() {
            return "starting";
        }
    }

    record Streaming(BinlogPosition position, long ownerEpoch) implements ReplicatorState {
        public String code() {
            return "streaming";
        }
    }

    record Retrying(String errorCode, String message, long attempt) implements ReplicatorState {
        public String code() {
            return "retrying";
        }
    }

    record Stopped(BinlogPosition position) implements ReplicatorState {
        public String code() {
            return "stopped";
        }

        public boolean terminal() {
            return true;
        }
    }

    record Failed(String errorCode, String message) implements ReplicatorState {
        public String code() {
            return "failed";
        }

        public boolean terminal() {
            return true;
        }
    }

    /** a newer owner bumped the checkpoint epoch: this worker must not write again */
    record Fenced(long ownerEpoch) implements ReplicatorState {
        public String code() {
            return "fenced";
        }

        public boolean terminal() {
            return true;
        }
    }
}

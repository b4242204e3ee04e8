package io.tidemark.coordinator.migration;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.migration.Stage;

/**
 * The phase of one migration: a state machine whose transitions exist only on the phases they are legal from, so
 * an illegal move does not compile; transitions asked for at run time (a user's stop, a worker's fatal failure) go
 * through {@link Migration} and raise {@link ErrorCode#ILLEGAL_TRANSITION} when the phase does not allow them.
 * Phases are persisted and shown by their code, never by an ordinal.
 *
 * <table>
 * <caption>phase codes</caption>
 * <tr><th>code</th><th>meaning</th><th>next</th></tr>
 * <tr><td>{@code checking}</td><td>submitted with {@code Prefer: respond-async}: recorded, holding its target tables,
 *     while its prechecks run on the coordinator; nothing published to workers yet</td><td>pending (every check
 *     passed), failed (the precheck report is its error)</td></tr>
 * <tr><td>{@code pending}</td><td>accepted; no command published yet</td><td>snapshotting (modes full, all),
 *     importing (mode import), replicating (mode incremental), failed</td></tr>
 * <tr><td>{@code snapshotting}</td><td>snapshot requested: position recorded, tables dumped to storage (DM Dump)</td>
 *     <td>importing, stopped, failed</td></tr>
 * <tr><td>{@code importing}</td><td>import requested: schemas created, chunks loaded into the target (DM Load);
 *     for mode import, then the rows counted in the target against the files'</td>
 *     <td>replicating (mode all), completed (modes full, import), failed</td></tr>
 * <tr><td>{@code replicating}</td><td>replication task desired running: binlog applied to the target (DM Sync)</td>
 *     <td>stopped, failed</td></tr>
 * <tr><td>{@code completed}</td><td>modes full and import: every planned chunk is imported (and, for mode import,
 *     every table holds the rows its files did); final</td><td>—</td></tr>
 * <tr><td>{@code stopped}</td><td>the user stopped replication (cut-over); or the snapshot, whose export is
 *     cancelled; either can be resumed</td><td>replicating; snapshotting (a new attempt, for a stopped snapshot)</td></tr>
 * <tr><td>{@code failed}</td><td>a worker reported a fatal error, or the prechecks of a {@code checking} migration
 *     failed; the migration's {@code error} says what and how to fix it; once fixed, the user's retry goes back to
 *     the phase of the stage that failed (to {@code checking} after failed prechecks)</td>
 *     <td>checking, snapshotting, importing, replicating</td></tr>
 * </table>
 */
public sealed interface Phase {
    @JsonValue
    String code();

    @JsonCreator
    static Phase of(String code) {
        return switch (code) {
            case Checking.CODE -> new Checking();
            case Pending.CODE -> new Pending();
            case Snapshotting.CODE -> new Snapshotting();
            case Importing.CODE -> new Importing();
            case Replicating.CODE -> new Replicating();
            case Completed.CODE -> new Completed();
            case Stopped.CODE -> new Stopped();
            case Failed.CODE -> new Failed();
            case null, default -> throw new TidemarkException(ErrorCode.INTERNAL, "unknown migration phase '" + code + "'");
        };
    }

    /** a phase a worker's fatal failure may end */
    sealed interface Failable extends Phase {
        default Failed fail() {
            return new Failed();
        }
    }

    /**
     * Submitted asynchronously: durably recorded (and holding its target tables, so no other migration takes them
     * meanwhile) while the coordinator runs its prechecks off the request; it fails with their report, or goes on.
     */
    record Checking() implements Failable {
        static final String CODE = "checking";

        /** every precheck passed: the migration goes on as one accepted synchronously does */
        public Pending passed() {
            return new Pending();
        }

        @Override
        public String code() {
            return CODE;
        }
    }

    record Pending() implements Failable {
        static final String CODE = "pending";

        public Snapshotting startSnapshot() {
            return new Snapshotting();
        }

        /** mode import: the files are there already, nothing to dump */
        public Importing startImport() {
            return new Importing();
        }

        public Replicating startReplication() {
            return new Replicating();
        }

        @Override
        public String code() {
            return CODE;
        }
    }

    record Snapshotting() implements Failable {
        static final String CODE = "snapshotting";

        /** the user's stop of the snapshot under way: final, nothing of it is imported */
        public Stopped stop() {
            return new Stopped();
        }

        public Importing startImport() {
            return new Importing();
        }

        @Override
        public String code() {
            return CODE;
        }
    }

    record Importing() implements Failable {
        static final String CODE = "importing";

        public Replicating startReplication() {
            return new Replicating();
        }

        public Completed complete() {
            return new Completed();
        }

        @Override
        public String code() {
            return CODE;
        }
    }

    record Replicating() implements Failable {
        static final String CODE = "replicating";

        public Stopped stop() {
            return new Stopped();
        }

        @Override
        public String code() {
            return CODE;
        }
    }

    record Completed() implements Phase {
        static final String CODE = "completed";

        @Override
        public String code() {
            return CODE;
        }
    }

    record Stopped() implements Phase {
        static final String CODE = "stopped";

        public Replicating resume() {
            return new Replicating();
        }

        /** the resume of a snapshot the user stopped under way: a new snapshot attempt */
        public Snapshotting snapshotAgain() {
            return new Snapshotting();
        }

        @Override
        public String code() {
            return CODE;
        }
    }

    record Failed() implements Phase {
        static final String CODE = "failed";

        /** the user's retry of a migration whose asynchronous prechecks failed: they run again */
        public Checking recheck() {
            return new Checking();
        }

        /** the user's retry (DM's resume-task) once the cause is fixed: the stage that failed runs again */
        public Failable retry(Stage stage) {
            return switch (stage) {
                case SNAPSHOT -> new Snapshotting();
                case IMPORT -> new Importing();
                case REPLICATION -> new Replicating();
            };
        }

        @Override
        public String code() {
            return CODE;
        }
    }
}

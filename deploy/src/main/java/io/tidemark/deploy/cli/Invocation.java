package io.tidemark.deploy.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the command line asks for, parsed and checked by {@link Arguments}. */
sealed interface Invocation {

    /** {@code --help}, {@code -h} or {@code help}: the usage text, exit 0 */
    record Help() implements Invocation {
    }

    /**
     * {@code import --config FILE [--detach] [--check]}
     *
     * @param config the TiDB Lightning file, sent as it is
     * @param detach return once the import is accepted
     * @param check  only check the file, its storage and its target: nothing is created
     */
    record Import(MasterAddr addr, Path config, boolean detach, boolean check) implements Invocation {
    }

    /** {@code query-status [MIGRATION-ID]}: every migration, or one in detail */
    record QueryStatus(MasterAddr addr, Optional<String> id, boolean json) implements Invocation {
        QueryStatus(MasterAddr addr, Optional<String> id) {
            this(addr, id, false);
        }

    }

    /**
     * One of dmctl's verbs on DM source and task files: {@code operate-source create|update|stop|show},
     * {@code check-task}, {@code start-task}, {@code pause-task}, {@code resume-task}, {@code stop-task},
     * {@code start-relay}, {@code stop-relay}, {@code purge-relay} (operands: the source-id, the file),
     * {@code encrypt}, {@code binlog skip|replace}.
     *
     * @param verb       the verb as typed
     * @param operands   what follows it (an action, a file, a name)
     * @param json       print the coordinator's answer as JSON, for scripts
     * @param removeMeta start-task's {@code --remove-meta}
     * @param binlogPos  binlog's {@code -b FILE:POS}; null for the position the task stopped at
     */
    record Dm(MasterAddr addr, String verb, List<String> operands, boolean json, boolean removeMeta,
              String binlogPos) implements Invocation {
        Dm(MasterAddr addr, String verb, List<String> operands, boolean json, boolean removeMeta) {
            this(addr, verb, operands, json, removeMeta, null);
        }
    }

    /**
     * dmctl's {@code config export|import [-d DIR]}: every DM source and task as files, {@code DIR/sources/ID.yaml} and
     * {@code DIR/tasks/NAME.yaml}, and back.
     *
     * @param export    export, else import
     * @param dir       the directory ({@code configs} by default, as dmctl's)
     * @param overwrite import's {@code --overwrite}: replace sources and tasks that exist
     */
    record Config(MasterAddr addr, boolean export, Path dir, boolean overwrite, boolean json) implements Invocation {
    }

    /**
     * {@code verify TASK|MIGRATION-ID [--at FILE:POS|now] [--lock] [--chunk-rows N] [--timeout D]}: waits until
     * replication has applied the source up to the position, then compares every migrated table in key-range chunks.
     *
     * @param target    a DM task's name (each of its migrations is verified) or a migration id
     * @param at        FILE:POS or {@code now}
     * @param chunkRows null for the coordinator's default
     * @param timeout   how long the coordinator waits for replication to catch up; null for its default
     */
    record Verify(MasterAddr addr, String target, String at, boolean lock, Integer chunkRows, String timeout,
                  boolean json) implements Invocation {
    }
}

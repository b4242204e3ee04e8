package io.tidemark.coordinator.config.dm;

import io.tidemark.coordinator.config.lightning.Note;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A DM task file turned into what Tidemark runs: one migration spec per {@code mysql-instances[]} entry, each the JSON
 * a user would post to {@code /api/v1/migrations}, for the API's own validation and creation.
 *
 * @param mode  the task-mode as written: full, incremental or all
 * @param notes keys accepted but not used as DM uses them, and what Tidemark does instead
 */
public record TaskFile(String name, String mode, List<Instance> instances, List<Note> notes, boolean pessimistic) {
    /** a task without shard-mode */
    public TaskFile(String name, String mode, List<Instance> instances, List<Note> notes) {
        this(name, mode, instances, notes, false);
    }

    public TaskFile {
        instances = List.copyOf(instances);
        notes = List.copyOf(notes);
    }

    /**
     * @param path the entry's path in the file, {@code mysql-instances[0]}, for the errors its spec meets
     * @param spec the migration spec; its passwords are plaintext, for the validator to seal at once — never log it
     */
    public record Instance(String sourceId, String path, String migrationName, ObjectNode spec) {
        @Override
        public String toString() {
            return migrationName + " (" + sourceId + ")";
        }
    }
}

package io.tidemark.coordinator.migration;

/**
 * A precheck's warning kept on the migration and shown in its view: the migration runs, but the user should know.
 *
 * @param name        the check's name, e.g. {@code keyless_tables}
 * @param message     what was seen
 * @param instruction what the user may do about it
 */
public record Warning(String name, String message, String instruction) {
}

package io.tidemark.coordinator.config.lightning;

/**
 * A file a {@code [[mydumper.files]]} rule took: the table it belongs to and what it holds.
 *
 * @param path        the path routed, relative to data-source-dir
 * @param schema      the schema the rule's template made; empty for an ignored file
 * @param table       the table the rule's template made; empty for an ignored file and a {@code CREATE DATABASE} file
 * @param key         the rule's {@code key} template, expanded (TiDB Lightning's file order within a table); empty
 *                    when the rule has none
 * @param compression how the file is compressed as a whole
 * @param rule        the rule that took it
 */
public record RoutedFile(String path, String schema, String table, SourceType type, String key,
                         Compression compression, FileRule rule) {
    @Override
    public String toString() {
        return path + " → " + (type == SourceType.IGNORE ? "ignored" : schema + "." + table + " (" + type.word() + ")");
    }
}

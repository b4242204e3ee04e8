package io.tidemark.snapshot.parquet;

import io.tidemark.common.storage.Storage;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The two JSON files at the top of an export, in the shape AWS writes them, written once every table's data is:
 * {@code export_info_<id>.json} (the task: identifier, status COMPLETE, progress, times, size) and
 * {@code export_tables_info_<id>_from_1_to_N.json} ({@code perTableStatus}: per table its {@code target},
 * {@code status}, {@code sizeGB}, extraction times, and each column's original and exported type). Fields that only an
 * RDS export task has (the snapshot's ARN, the IAM role, the KMS key) are left out; readers of AWS's files ignore what
 * they do not know, and AWS's files lack some fields now and then.
 */
public final class ExportInfoFiles {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** how AWS writes times in these files, e.g. {@code Nov 2, 2026 9:14:08 AM} (UTC here) */
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MMM d, yyyy h:mm:ss a", Locale.US)
            .withZone(ZoneOffset.UTC);
    private static final double BYTES_PER_GB = 1024.0 * 1024 * 1024;

    private ExportInfoFiles() {
    }

    /**
     * @param snapshotTime when the dump's start position was recorded: every table's data is from after it
     * @param started      when the dump began
     */
    public static void write(Storage storage, ExportLayout layout, List<ExportedTable> tables, Instant snapshotTime,
                             Instant started, Instant ended) throws IOException {
        List<ExportedTable> sorted = tables.stream().sorted(Comparator.comparing(ExportedTable::table)).toList();
        ArrayNode statuses = JSON.createArrayNode();
        long bytes = 0;
        for (ExportedTable t : sorted) {
            statuses.add(tableStatus(t));
            bytes += t.bytes();
        }
        ObjectNode tablesInfo = JSON.createObjectNode();
        tablesInfo.set("perTableStatus", statuses);
        publish(storage, layout.tablesInfoFile(sorted.size()), tablesInfo);

        ObjectNode info = JSON.createObjectNode();
        info.put("exportTaskIdentifier", layout.exportId());
        ArrayNode exportOnly = info.putArray("exportOnly");
        sorted.forEach(t -> exportOnly.add(target(t)));
        info.put("snapshotTime", TIME.format(snapshotTime));
        info.put("taskStartTime", TIME.format(started));
        info.put("taskEndTime", TIME.format(ended));
        info.put("exportedFilesPath", layout.exportId());
        info.put("status", "COMPLETE");
        info.put("percentProgress", 100);
        info.put("totalExtractedDataInGB", bytes / BYTES_PER_GB);
        info.put("exportedBy", "tidemark");
        publish(storage, layout.exportInfoFile(), info);
    }

    private static ObjectNode tableStatus(ExportedTable t) {
        ObjectNode entry = JSON.createObjectNode();
        ObjectNode statistics = entry.putObject("tableStatistics");
        statistics.put("extractionStartTime", TIME.format(t.started()));
        statistics.put("extractionEndTime", TIME.format(t.ended()));
        ObjectNode partitioning = statistics.putObject("partitioningInfo");
        partitioning.put("numberOfPartitions", 1);
        partitioning.put("numberOfCompletedPartitions", 1);
        ArrayNode mappings = entry.putObject("schemaMetadata").putArray("originalTypeMappings");
        for (ExportedTable.Column c : t.columns()) {
            ObjectNode m = mappings.addObject();
            m.put("columnName", c.source().name());
            m.put("originalType", c.source().dataType());
            m.put("expectedExportedType", c.exportedType());
            m.put("originalCharMaxLength", c.source().charMaxLength());
            m.put("originalNumPrecision", c.source().precision());
            m.put("originalDateTimePrecision", c.source().datetimePrecision());
        }
        if (!t.textColumns().isEmpty()) {
            ArrayNode text = entry.putArray("tidemarkTemporalTextColumns");
            t.textColumns().forEach(text::add);
        }
        entry.put("status", "COMPLETE");
        entry.put("sizeGB", t.bytes() / BYTES_PER_GB);
        entry.put("rows", t.rows());
        entry.put("target", target(t));
        return entry;
    }

    /** how AWS names a MySQL table: {@code <database>.<table>} */
    private static String target(ExportedTable t) {
        return t.table().schema() + "." + t.table().table();
    }

    private static void publish(Storage storage, String path, ObjectNode json) throws IOException {
        try (OutputStream out = storage.create(path)) {
            out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json));
        }
    }
}

package io.tidemark.lightning.parquet;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two kinds of JSON file AWS writes at the top of a snapshot export: {@code export_info_<id>.json} (the task:
 * identifier, status, progress, source, snapshot time) and {@code export_tables_info_<id>_from_<n>_to_<m>.json}
 * ({@code perTableStatus}: one entry per table with its {@code target}, {@code status} and {@code sizeGB}, or a
 * {@code warningMessage} for a database or table the export skipped). Unknown fields are ignored: AWS adds some now
 * and then. Row counts are not among the documented fields; the Parquet footers give them exactly.
 */
final class ExportMetadata {
    static final Pattern EXPORT_INFO = Pattern.compile("(?:^|.*/)export_info_(.+)\\.json$");
    static final Pattern TABLES_INFO =
            Pattern.compile("(?:^|.*/)export_tables_info_(.+)_from_([0-9]+)_to_([0-9]+)\\.json$");
    /** the metadata files are small; a larger one is not AWS's */
    private static final long MAX_BYTES = 256L * 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ExportMetadata() {
    }

    static boolean isMetadata(String path) {
        return EXPORT_INFO.matcher(path).matches() || TABLES_INFO.matcher(path).matches();
    }

    static Optional<AuroraExport.Info> exportInfo(Storage storage, String path, long size) {
        Matcher m = EXPORT_INFO.matcher(path);
        if (!m.matches() || TABLES_INFO.matcher(path).matches()) {
            return Optional.empty();
        }
        JsonNode json = read(storage, path, size);
        return Optional.of(new AuroraExport.Info(path,
                json.path("exportTaskIdentifier").asString(m.group(1)),
                json.path("status").asString(""),
                json.path("percentProgress").asDouble(-1),
                json.path("sourceArn").asString(""),
                json.path("snapshotTime").asString(""),
                json.path("totalExtractedDataInGB").asDouble(-1)));
    }

    static List<AuroraExport.TableStatus> tableStatuses(Storage storage, String path, long size) {
        if (!TABLES_INFO.matcher(path).matches()) {
            return List.of();
        }
        JsonNode entries = read(storage, path, size).path("perTableStatus");
        List<AuroraExport.TableStatus> out = new ArrayList<>();
        for (JsonNode entry : entries.values()) {
            out.add(new AuroraExport.TableStatus(path,
                    entry.path("target").asString(""),
                    entry.path("status").asString(""),
                    entry.path("warningMessage").asString(""),
                    entry.path("sizeGB").asDouble(-1)));
        }
        return out;
    }

    private static JsonNode read(Storage storage, String path, long size) {
        if (size > MAX_BYTES) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, path, "it is " + size + " bytes, larger than any"
                    + " export metadata AWS writes; remove it from the export folder or point at the export itself");
        }
        try (InputStream in = storage.open(path)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new TidemarkException(ErrorCode.STORAGE_IO, e, storage.root(), "cannot read " + path + ": " + e);
        } catch (JacksonException e) {
            throw new TidemarkException(ErrorCode.DUMP_FILE_CORRUPT, e, path, "it is not the JSON AWS writes ("
                    + e.getOriginalMessage() + "); copy it again from the export");
        }
    }
}

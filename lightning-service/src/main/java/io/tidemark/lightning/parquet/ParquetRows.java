package io.tidemark.lightning.parquet;

import io.tidemark.common.layout.ExportLayout;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.checksum.RowDigest;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The rows of one Parquet file, one at a time, each written as a SQL value tuple {@code (v1,v2,...)} in the session
 * view of an import session. Memory is bounded by one row group: parquet-java holds the compressed column chunks of
 * the row group being read (and a page of each column uncompressed), so a row group larger than
 * {@link Limits#maxRowGroupBytes} is refused when the file is opened, before any row is read.
 * <p>
 * The order of rows is the file's, the same on every read, so a reader resumes a file by {@link #skip skipping} the
 * rows a checkpoint counts: whole row groups are passed over without being read.
 * <p>
 * The file is read in place through the storage's ranged reads ({@link ParquetInput}): only the footer and the column
 * chunks of the row groups and columns read are fetched, never the whole file, and nothing is written to disk.
 * <p>
 * Use: {@link #open}, optionally {@link #project} to the columns the target takes, {@link #skip}, then {@link #next}
 * until it returns false; close. Not thread-safe.
 */
public final class ParquetRows implements AutoCloseable {
    private static final String SPARK_VERSION = "org.apache.spark.version";
    private static final String SPARK_LEGACY_DATETIME = "org.apache.spark.legacyDateTime";
    /**
     * Tidemark's own dump (snapshot-service's ParquetTable writes the same key): a JSON array naming the DATETIME and
     * TIMESTAMP columns this file holds as their text, because a value in it (a zero date, a zero month or day, a day
     * not in the calendar) is one TIMESTAMP(MICROS) cannot hold
     */
    static final String TEMPORAL_TEXT = ExportLayout.TEMPORAL_TEXT_FOOTER;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String file;
    private final TableRef table;
    /** the storage's root, for errors */
    private final String root;
    private final ParquetInput input;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private final List<RowGroup> rowGroups;
    private final List<ValueWriters.ValueWriter> allWriters;
    private final int firstRowGroup;
    private final int endRowGroup;

    private List<Integer> projection;
    private RowDigest digest;
    private int[] digestColumns;
    private final LiteralDigest literals = new LiteralDigest();
    /** one value at a time, when rows are written as LOAD DATA text */
    private final StringBuilder scratch = new StringBuilder(256);
    private final Set<String> temporalTextColumns;
    private MessageType requested;
    private ColumnReader[] readers;
    private ValueWriters.ValueWriter[] writers;
    private int[] maxDefinition;
    private String[] projectedNames;
    private PageReadStore pages;
    private int nextRowGroup;
    private long rowsLeftInGroup;
    private long position;

    /** how much a reader may hold */
    public record Limits(long maxRowGroupBytes) {
        public Limits {
            if (maxRowGroupBytes < 1) {
                throw new IllegalArgumentException("maxRowGroupBytes must be positive, was " + maxRowGroupBytes);
            }
        }
    }

    /** a row group as the footer describes it: the unit the planner may split a file into */
    public record RowGroup(int index, long rows, long compressedBytes) {
    }

    private ParquetRows(String file, TableRef table, String root, ParquetInput input, ParquetFileReader reader,
                        int fromRowGroup, int endRowGroup) {
        this.file = file;
        this.table = table;
        this.root = root;
        this.input = input;
        this.reader = reader;
        FileMetaData meta = reader.getFileMetaData();
        this.schema = meta.getSchema();
        List<RowGroup> groups = new ArrayList<>();
        List<BlockMetaData> blocks = reader.getRowGroups();
        for (int i = 0; i < blocks.size(); i++) {
            groups.add(new RowGroup(i, blocks.get(i).getRowCount(), blocks.get(i).getCompressedSize()));
        }
        this.rowGroups = List.copyOf(groups);
        this.firstRowGroup = fromRowGroup;
        this.endRowGroup = endRowGroup;
        boolean julian = writtenJulian(meta.getKeyValueMetaData());
        Set<String> temporalText = temporalText(meta.getKeyValueMetaData(), file, table);
        this.temporalTextColumns = Set.copyOf(temporalText);
        List<ValueWriters.ValueWriter> w = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Type field : schema.getFields()) {
            String previous = seen.put(field.getName().toLowerCase(Locale.ROOT), field.getName());
            if (previous != null) {
                throw ParquetErrors.unsupportedColumn(file, table, field.getName(), ValueWriters.describe(field),
                        "the file also has a column `" + previous + "`, and MySQL column names ignore case");
            }
            w.add(temporalText.contains(field.getName())
                    ? ValueWriters.temporalText(field, file, table)
                    : ValueWriters.forColumn(field, file, table, julian));
        }
        this.allWriters = List.copyOf(w);
    }

    /** the whole file */
    public static ParquetRows open(Storage storage, String file, TableRef table, Limits limits) {
        return open(storage, file, table, limits, 0, Integer.MAX_VALUE);
    }

    /**
     * The row groups {@code [fromRowGroup, toRowGroup)} of the file (clipped to those it has): a chunk of a file
     * split by row group.
     *
     * @param table the table the file holds rows of, for error messages
     */
    public static ParquetRows open(Storage storage, String file, TableRef table, Limits limits, int fromRowGroup,
                                   int toRowGroup) {
        String root = storage.root().toString();
        ParquetInput input;
        try {
            input = ParquetInput.open(storage, file);
        } catch (IOException e) {
            throw ParquetErrors.reading(file, table, root, "its size cannot be read", e);
        }
        ParquetFileReader reader = null;
        try {
            try {
                reader = ParquetFileReader.open(input,
                        ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
            } catch (IOException | RuntimeException e) {
                throw ParquetErrors.reading(file, table, root, "its footer cannot be read", e);
            }
            int groups = reader.getRowGroups().size();
            int from = Math.max(0, Math.min(fromRowGroup, groups));
            int to = Math.max(from, Math.min(toRowGroup, groups));
            for (int i = from; i < to; i++) {
                long bytes = reader.getRowGroups().get(i).getCompressedSize();
                if (bytes > limits.maxRowGroupBytes()) {
                    throw ParquetErrors.rowGroupTooLarge(file, table, i, bytes, limits.maxRowGroupBytes());
                }
            }
            ParquetRows rows = new ParquetRows(file, table, root, input, reader, from, to);
            for (int i = 0; i < from; i++) {
                rows.skipRowGroup();
            }
            return rows;
        } catch (RuntimeException e) {
            closeQuietly(reader);
            throw e;
        }
    }

    /** the file's size in bytes, as it was when opened */
    public long fileBytes() {
        return input.getLength();
    }

    /** the file's column names, in the file's order */
    public List<String> columnNames() {
        return schema.getFields().stream().map(Type::getName).toList();
    }

    /** the file's row groups, whatever range was opened */
    public List<RowGroup> rowGroups() {
        return rowGroups;
    }

    /** the rows of the row groups this reader was opened for */
    public long rowCount() {
        long n = 0;
        for (int i = firstRowGroup; i < endRowGroup; i++) {
            n += rowGroups.get(i).rows();
        }
        return n;
    }

    /** rows read or skipped so far, counted from the first row of the opened range */
    public long position() {
        return position;
    }

    /**
     * Reads only {@code columns} (names as {@link #columnNames} gives them), in that order; the others are not even
     * loaded. Before the first {@link #skip} or {@link #next}.
     */
    public void project(List<String> columns) {
        if (readers != null) {
            throw new IllegalStateException("project before reading");
        }
        List<String> names = columnNames();
        List<Integer> indexes = new ArrayList<>();
        for (String c : columns) {
            int i = names.indexOf(c);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + c + " in " + file);
            }
            indexes.add(i);
        }
        this.projection = List.copyOf(indexes);
    }

    /** passes over {@code rows} rows; whole row groups are not read at all */
    public void skip(long rows) {
        start();
        long left = rows;
        while (left > 0) {
            if (rowsLeftInGroup == 0) {
                if (nextRowGroup >= endRowGroup) {
                    throw ParquetErrors.corrupt(file, table, "it has " + position + " rows where " + rows
                            + " more were expected to be skipped: it changed since the import began", null);
                }
                long groupRows = rowGroups.get(nextRowGroup).rows();
                if (groupRows <= left) {
                    skipRowGroup();
                    position += groupRows;
                    left -= groupRows;
                    continue;
                }
                loadRowGroup();
            }
            long n = Math.min(left, rowsLeftInGroup);
            try {
                for (int c = 0; c < readers.length; c++) {
                    ColumnReader r = readers[c];
                    for (long i = 0; i < n; i++) {
                        if (r.getCurrentDefinitionLevel() == maxDefinition[c]) {
                            r.skip();
                        }
                        r.consume();
                    }
                }
            } catch (RuntimeException e) {
                throw ParquetErrors.corrupt(file, table, "row group " + (nextRowGroup - 1) + " cannot be decoded: "
                        + e.getMessage(), e);
            }
            rowsLeftInGroup -= n;
            position += n;
            left -= n;
        }
    }

    /**
     * From the next row on, adds each row {@link #next} writes to {@code digest}, from the very literals written (so
     * the digest is of the values as the target receives them): the {@code c}-th projected column goes to the
     * digest's column {@code digestColumns[c]}. After {@link #project}; rows {@link #skip skipped} are not added.
     */
    public void digest(RowDigest digest, int[] digestColumns) {
        if (projection == null || digestColumns.length != projection.size()) {
            throw new IllegalStateException("digest after project, one digest column per projected column");
        }
        this.digest = digest;
        this.digestColumns = digestColumns.clone();
    }

    /** appends the next row as {@code (v1,v2,...)}; false, appending nothing, when the rows are all read */
    public boolean next(StringBuilder sql) {
        return row(sql, null);
    }

    /**
     * Writes the next row as LOAD DATA text ({@link LoadDataText}), transcoded from the literals {@link #next(
     * StringBuilder)} writes and digested from them as it digests them; false, writing nothing, when the rows are all
     * read.
     */
    public boolean next(LoadDataText text) {
        scratch.setLength(0);
        return row(scratch, text);
    }

    /** the row as a tuple into {@code sql}, or (when {@code text} is given) each value into it through {@code sql} */
    private boolean row(StringBuilder sql, LoadDataText text) {
        start();
        while (rowsLeftInGroup == 0) {
            if (nextRowGroup >= endRowGroup) {
                return false;
            }
            loadRowGroup();
        }
        if (text == null) {
            sql.append('(');
        }
        try {
            for (int c = 0; c < readers.length; c++) {
                if (c > 0 && text == null) {
                    sql.append(',');
                }
                ColumnReader r = readers[c];
                if (r.getCurrentDefinitionLevel() == maxDefinition[c]) {
                    int from = sql.length();
                    writers[c].write(r, sql, position);
                    if (digest != null) {
                        literals.add(digest, digestColumns[c], sql, from, sql.length());
                    }
                    if (text != null) {
                        text.field(c, sql, from, sql.length());
                        sql.setLength(from);
                    }
                } else {
                    if (text == null) {
                        sql.append("NULL");
                    } else {
                        text.nul();
                    }
                    if (digest != null) {
                        digest.nul(digestColumns[c]);
                    }
                }
                r.consume();
            }
            if (digest != null) {
                digest.endRow();
            }
        } catch (TidemarkException e) {
            throw e;
        } catch (RuntimeException e) {
            throw ParquetErrors.corrupt(file, table, "row " + position + " cannot be decoded: " + e.getMessage(), e);
        }
        if (text == null) {
            sql.append(')');
        } else {
            text.endRow();
        }
        rowsLeftInGroup--;
        position++;
        return true;
    }

    /**
     * Whether the file's column {@code name} holds text declared UTF-8 (STRING, ENUM, JSON), which the INSERT path
     * writes for the server to convert into the column's character set; a date written as text is not.
     */
    public boolean isText(String name) {
        Type field = schema.getType(name);
        if (!field.isPrimitive() || temporalTextColumns.contains(name)) {
            return false;
        }
        LogicalTypeAnnotation logical = field.getLogicalTypeAnnotation();
        return field.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.BINARY
                && (logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.EnumLogicalTypeAnnotation
                || logical instanceof LogicalTypeAnnotation.JsonLogicalTypeAnnotation);
    }

    /** whether the file's column {@code name} holds plain bytes (no annotation), written as they are */
    public boolean isPlainBytes(String name) {
        Type field = schema.getType(name);
        if (!field.isPrimitive() || temporalTextColumns.contains(name)) {
            return false;
        }
        PrimitiveTypeName type = field.asPrimitiveType().getPrimitiveTypeName();
        return field.getLogicalTypeAnnotation() == null
                && (type == PrimitiveTypeName.BINARY || type == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY);
    }

    private void start() {
        if (readers != null) {
            return;
        }
        List<Integer> columns = projection;
        if (columns == null) {
            columns = new ArrayList<>();
            for (int i = 0; i < schema.getFieldCount(); i++) {
                columns.add(i);
            }
        }
        List<Type> fields = new ArrayList<>();
        for (int i : columns) {
            fields.add(schema.getType(i));
        }
        requested = new MessageType(schema.getName(), fields);
        reader.setRequestedSchema(requested);
        readers = new ColumnReader[columns.size()];
        writers = new ValueWriters.ValueWriter[columns.size()];
        maxDefinition = new int[columns.size()];
        projectedNames = new String[columns.size()];
        for (int c = 0; c < columns.size(); c++) {
            int i = columns.get(c);
            writers[c] = allWriters.get(i);
            projectedNames[c] = schema.getType(i).getName();
            maxDefinition[c] = requested.getColumns().get(c).getMaxDefinitionLevel();
        }
    }

    private void loadRowGroup() {
        closePages();
        int group = nextRowGroup;
        try {
            pages = reader.readNextRowGroup();
        } catch (IOException | RuntimeException e) {
            throw ParquetErrors.reading(file, table, root, "row group " + group + " cannot be read", e);
        }
        if (pages == null) {
            throw ParquetErrors.corrupt(file, table, "its footer lists row group " + group + ", which it lacks", null);
        }
        nextRowGroup++;
        rowsLeftInGroup = pages.getRowCount();
        try {
            ColumnReadStoreImpl store = new ColumnReadStoreImpl(pages,
                    new GroupRecordConverter(requested).getRootConverter(), requested,
                    reader.getFileMetaData().getCreatedBy());
            List<ColumnDescriptor> descriptors = requested.getColumns();
            for (int c = 0; c < readers.length; c++) {
                readers[c] = store.getColumnReader(descriptors.get(c));
            }
        } catch (RuntimeException e) {
            throw ParquetErrors.corrupt(file, table, "row group " + group + " cannot be decoded: " + e.getMessage(), e);
        }
    }

    private void skipRowGroup() {
        closePages();
        if (!reader.skipNextRowGroup()) {
            throw ParquetErrors.corrupt(file, table, "its footer lists row group " + nextRowGroup
                    + ", which it lacks", null);
        }
        nextRowGroup++;
    }

    private void closePages() {
        if (pages != null) {
            pages.close();
            pages = null;
        }
    }

    /** the columns the footer's {@link #TEMPORAL_TEXT} entry names; none when it has none */
    private static Set<String> temporalText(Map<String, String> meta, String file, TableRef table) {
        String names = meta.get(TEMPORAL_TEXT);
        if (names == null) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        try {
            JsonNode array = JSON.readTree(names);
            if (!array.isArray()) {
                throw ParquetErrors.corrupt(file, table, "its footer entry " + TEMPORAL_TEXT + " is not a JSON array"
                        + " of column names but " + names, null);
            }
            for (JsonNode name : array.values()) {
                out.add(name.asString());
            }
        } catch (JacksonException e) {
            throw ParquetErrors.corrupt(file, table, "its footer entry " + TEMPORAL_TEXT + " is not JSON: "
                    + e.getOriginalMessage(), e);
        }
        return out;
    }

    /** Spark 2, or Spark 3 in LEGACY rebase mode, wrote dates before 1582-10-15 in the Julian calendar */
    private static boolean writtenJulian(Map<String, String> meta) {
        if (meta.containsKey(SPARK_LEGACY_DATETIME)) {
            return true;
        }
        String version = meta.get(SPARK_VERSION);
        if (version == null) {
            return false;
        }
        String major = version.split("\\.", 2)[0];
        return major.matches("[0-9]{1,3}") && Integer.parseInt(major) < 3;
    }

    @Override
    public void close() {
        closePages();
        closeQuietly(reader);
    }

    private static void closeQuietly(ParquetFileReader reader) {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
        } catch (IOException ignored) {
            // a reader: nothing was written, nothing to lose
        }
    }
}

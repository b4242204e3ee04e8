package io.tidemark.snapshot.parquet;

import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes one table's rows as an Aurora snapshot export does: part files under {@code <db>/<db>.<table>/1/}, a new one
 * past the file size, then {@code _SUCCESS} in the table folder once every row is in ({@link ExportLayout}). Rows go
 * to the storage as they come: parquet-java holds one row group (at most {@link ParquetSettings#rowGroupBytes}, one
 * huge value aside), and the storage's stream one upload part.
 * <p>
 * A DATETIME or TIMESTAMP value that {@code TIMESTAMP(MICROS)} cannot hold (a zero date, a zero month or day, a day not
 * in the calendar) ends the part file before it; that column is then written as its text in every later file of the
 * table, each of which names it in its footer under {@link #TEMPORAL_TEXT} (a JSON array of column names), which
 * lightning-service reads back exactly. Files before keep the AWS type. Used by one thread.
 */
public final class ParquetTable implements AutoCloseable {
    /**
     * The footer entry naming the DATETIME / TIMESTAMP columns a file holds as text ({@code YYYY-MM-DD
     * HH:MM:SS[.ffffff]}): lightning-service's ParquetRows reads the same key.
     */
    public static final String TEMPORAL_TEXT = io.tidemark.common.layout.ExportLayout.TEMPORAL_TEXT_FOOTER;
    /** the message name Spark, and so AWS's export, gives the schema */
    private static final String MESSAGE = "spark_schema";
    private static final int PAGE_BYTES = 1 << 20;
    private static final int MIN_DICTIONARY_BYTES = 16 * 1024;
    /** a statistic keeps no more of a long value than this: huge TEXT or BLOB values never swell a footer */
    private static final int STATISTICS_BYTES = 64;
    private static final Logger LOGGER = LoggerFactory.getLogger(ParquetTable.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Storage storage;
    private final ExportLayout layout;
    private final TableRef table;
    private final ParquetSettings settings;
    private final long fileSizeBytes;
    private final ParquetColumn[] columns;
    private final byte[][] row;
    private final UUID job = UUID.randomUUID();
    private final List<String> files = new ArrayList<>();
    private final Set<String> textColumns = new LinkedHashSet<>();
    private final Instant started = Instant.now();

    private ParquetWriter<byte[][]> writer;
    private StorageOutputFile output;
    private String currentFile;
    private long closedBytes;
    private long rows;

    private ParquetTable(Storage storage, ExportLayout layout, TableRef table, List<SourceColumn> columns,
                         ParquetSettings settings, long fileSizeBytes) {
        this.storage = storage;
        this.layout = layout;
        this.table = table;
        this.settings = settings;
        this.fileSizeBytes = fileSizeBytes;
        this.columns = columns.stream().map(ParquetColumn::of).toArray(ParquetColumn[]::new);
        this.row = new byte[this.columns.length][];
    }

    /**
     * @param columns       the columns dumped, in the order of the SELECT
     * @param fileSizeBytes a part file is closed and the next begun once it holds this much
     */
    public static ParquetTable open(Storage storage, ExportLayout layout, TableRef table, List<SourceColumn> columns,
                                    ParquetSettings settings, long fileSizeBytes) {
        if (columns.isEmpty()) {
            throw new IllegalArgumentException(table + " has no columns to write");
        }
        return new ParquetTable(storage, layout, table, columns, settings, fileSizeBytes);
    }

    /** the SELECT list that reads the columns in the form {@link #write} takes: with character_set_results=binary */
    public String selectList() {
        return Arrays.stream(columns).map(ParquetColumn::select).collect(Collectors.joining(","));
    }

    /** writes the result set's current row */
    public void write(ResultSet rs) throws SQLException, IOException {
        for (int i = 0; i < columns.length; i++) {
            row[i] = rs.getBytes(i + 1);
        }
        for (int i = 0; i < columns.length; i++) {
            if (!columns[i].holds(row[i])) {
                toText(i);
            }
        }
        if (writer == null) {
            openNext();
        }
        writer.write(row);
        rows++;
        if (writer.getDataSize() >= fileSizeBytes) {
            closeCurrent();
        }
    }

    /**
     * Every row is written: publishes the last part file, then {@code _SUCCESS}, which says the table is complete.
     *
     * @return what the export's table list says of the table
     */
    public ExportedTable complete() throws IOException {
        if (writer != null) {
            closeCurrent();
        }
        try (OutputStream ignored = storage.create(layout.successFile(table))) {
            // an empty file: its presence is the message
        }
        List<ExportedTable.Column> described = new ArrayList<>();
        for (ParquetColumn c : columns) {
            ParquetColumn shown = c.encoding() == ParquetColumn.Encoding.TIMESTAMP_TEXT
                    ? ParquetColumn.of(c.source()) : c;
            described.add(new ExportedTable.Column(c.source(), shown.exportedType()));
        }
        return new ExportedTable(table, described, List.copyOf(textColumns), rows, closedBytes, files.size(), started,
                Instant.now());
    }

    /** the part files published so far, in order */
    public List<String> files() {
        return List.copyOf(files);
    }

    /** bytes of the part files published, and of the one being written as far as it is */
    public long bytes() {
        return closedBytes + (writer == null ? 0 : writer.getDataSize());
    }

    private void toText(int column) throws IOException {
        ParquetColumn c = columns[column];
        if (writer != null) {
            closeCurrent();
        }
        columns[column] = c.asText();
        textColumns.add(c.name());
        LOGGER.info("{} column {} holds {}, which TIMESTAMP cannot (a date not in the calendar): from part file {} on,"
                        + " its values are written as text and named in the footer entry {}", table, c.name(),
                new String(row[column], StandardCharsets.ISO_8859_1), files.size(), TEMPORAL_TEXT);
    }

    private void openNext() throws IOException {
        currentFile = layout.partFile(table, files.size(), job, settings.compression());
        List<Type> fields = Arrays.stream(columns).map(c -> (Type) c.type()).toList();
        MessageType schema = new MessageType(MESSAGE, fields);
        Map<String, String> footer = textColumns.isEmpty() ? Map.of() : Map.of(TEMPORAL_TEXT, JSON.writeValueAsString(
                Arrays.stream(columns).filter(c -> c.encoding() == ParquetColumn.Encoding.TIMESTAMP_TEXT)
                        .map(ParquetColumn::name).toList()));
        output = new StorageOutputFile(storage, currentFile);
        writer = new Builder(output, new RowWriteSupport(schema, columns, footer))
                .withConf(new PlainParquetConfiguration())
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(settings.compression().codec())
                // Spark writes format v1 pages, and so does AWS's export
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withRowGroupSize(settings.rowGroupBytes())
                .withPageSize((int) Math.min(PAGE_BYTES, settings.rowGroupBytes() / 4))
                // every column may hold a dictionary beside its row group's data: together about one row group
                .withDictionaryPageSize((int) Math.max(MIN_DICTIONARY_BYTES,
                        Math.min(PAGE_BYTES, settings.rowGroupBytes() / columns.length)))
                // measured from the first row on: a table of huge rows still closes its row groups on time
                .withMinRowCountForPageSizeCheck(1)
                .withStatisticsTruncateLength(STATISTICS_BYTES)
                .build();
    }

    private void closeCurrent() throws IOException {
        ParquetWriter<byte[][]> closing = writer;
        writer = null;
        // closing writes the footer and publishes the file (Storage.create): only then is it part of the dump
        closing.close();
        closedBytes += output.written();
        files.add(currentFile);
    }

    /**
     * Releases the part file being written, if any. After a failure that publishes a partial file without
     * {@code _SUCCESS} beside it; harmless, as a dump without its completion marker is never read, and the next
     * attempt clears the files.
     */
    @Override
    public void close() throws IOException {
        if (writer != null) {
            closeCurrent();
        }
    }

    private static final class Builder extends ParquetWriter.Builder<byte[][], Builder> {
        private final RowWriteSupport support;

        Builder(OutputFile file, RowWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<byte[][]> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
            return support;
        }

        @Override
        protected WriteSupport<byte[][]> getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
            return support;
        }
    }
}

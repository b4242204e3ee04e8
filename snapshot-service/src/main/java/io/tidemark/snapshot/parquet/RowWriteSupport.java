package io.tidemark.snapshot.parquet;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

import java.util.Map;

/**
 * Hands parquet-java one row at a time: the text-protocol bytes of each column (null for SQL NULL), each added as its
 * {@link ParquetColumn} says. A NULL is a field left out, which an {@code optional} column reads as null.
 */
final class RowWriteSupport extends WriteSupport<byte[][]> {
    private final MessageType schema;
    private final ParquetColumn[] columns;
    private final Map<String, String> footer;
    private RecordConsumer out;

    RowWriteSupport(MessageType schema, ParquetColumn[] columns, Map<String, String> footer) {
        this.schema = schema;
        this.columns = columns.clone();
        this.footer = Map.copyOf(footer);
    }

    @Override
    public WriteContext init(Configuration configuration) {
        return new WriteContext(schema, footer);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(schema, footer);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.out = recordConsumer;
    }

    @Override
    public void write(byte[][] row) {
        out.startMessage();
        for (int i = 0; i < columns.length; i++) {
            byte[] value = row[i];
            if (value != null) {
                String name = columns[i].name();
                out.startField(name, i);
                columns[i].write(out, value);
                out.endField(name, i);
            }
        }
        out.endMessage();
    }

    @Override
    public String getName() {
        return "tidemark";
    }
}

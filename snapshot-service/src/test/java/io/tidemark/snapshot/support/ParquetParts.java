package io.tidemark.snapshot.support;

import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A part file read back with parquet-java's own example reader: its schema, footer, row groups and rows. */
public record ParquetParts(MessageType schema, Map<String, String> footer, List<BlockMetaData> rowGroups,
                           List<Group> rows) {

    public static ParquetParts read(Path file) throws IOException {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            MessageType schema = reader.getFileMetaData().getSchema();
            MessageColumnIO io = new ColumnIOFactory().getColumnIO(schema);
            List<Group> rows = new ArrayList<>();
            PageReadStore pages;
            while ((pages = reader.readNextRowGroup()) != null) {
                RecordReader<Group> records = io.getRecordReader(pages, new GroupRecordConverter(schema));
                for (long i = 0; i < pages.getRowCount(); i++) {
                    rows.add(records.read());
                }
            }
            return new ParquetParts(schema, reader.getFileMetaData().getKeyValueMetaData(), reader.getRowGroups(),
                    rows);
        }
    }

    /** {@code optional int64 ts (TIMESTAMP(MICROS,true))}: the column's type as parquet-java prints it */
    public String type(String column) {
        return schema.getType(column).toString();
    }

    public static boolean isNull(Group row, String column) {
        return row.getFieldRepetitionCount(column) == 0;
    }

    public static String text(Group row, String column) {
        return row.getBinary(column, 0).toStringUsingUTF8();
    }

    public static byte[] bytes(Group row, String column) {
        return row.getBinary(column, 0).getBytes();
    }

    /** a DECIMAL on FIXED_LEN_BYTE_ARRAY: big-endian two's complement of the unscaled value */
    public static BigDecimal fixedDecimal(Group row, String column, int scale) {
        return new BigDecimal(new BigInteger(bytes(row, column)), scale);
    }

    public static String ascii(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}

package io.tidemark.snapshot.dump;

import io.tidemark.common.layout.DumpLayout;
import io.tidemark.common.storage.Storage;
import io.tidemark.common.table.TableRef;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one table's rows as Dumpling-style data files {@code db.tbl.NNNNNNNNN.sql}: multi-row INSERT statements of
 * about {@code statementSize} bytes, a new file once a file passes {@code fileSize}. Each file starts with the
 * session settings it needs to load anywhere (raw bytes, UTC, no FK checks, zero dates and 0 in AUTO_INCREMENT
 * kept). Used by one thread.
 */
final class DataFileWriter implements AutoCloseable {
    static final String HEADER = """
            /*!40101 SET NAMES binary*/;
            /*!40014 SET FOREIGN_KEY_CHECKS=0*/;
            /*!40103 SET TIME_ZONE='+00:00'*/;
            /*!40101 SET SQL_MODE='NO_AUTO_VALUE_ON_ZERO'*/;
            """;
    private static final byte[] ROW_SEPARATOR = {',', '\n'};
    private static final byte[] STATEMENT_END = {';', '\n'};

    private final Storage storage;
    private final TableRef table;
    private final byte[] insertPrefix;
    private final long fileSize;
    private final long statementSize;
    private final int firstIndex;
    private final List<String> files = new ArrayList<>();

    private CountingStream out;
    private String currentFile;
    private boolean statementOpen;
    private long statementBytes;
    private long totalBytes;

    DataFileWriter(Storage storage, TableRef table, String insertPrefix, long fileSize, long statementSize) {
        this(storage, table, insertPrefix, fileSize, statementSize, 0);
    }

    /** @param firstIndex the number of the first file: a key range's files start at its own number */
    DataFileWriter(Storage storage, TableRef table, String insertPrefix, long fileSize, long statementSize,
                   int firstIndex) {
        this.firstIndex = firstIndex;
        this.storage = storage;
        this.table = table;
        this.insertPrefix = insertPrefix.getBytes(StandardCharsets.UTF_8);
        this.fileSize = fileSize;
        this.statementSize = statementSize;
    }

    /** @param row one rendered row, {@code (v1,v2,...)} */
    void write(ByteBuf row) throws IOException {
        if (out == null) {
            openNext();
        }
        if (statementOpen) {
            out.write(ROW_SEPARATOR);
        } else {
            out.write(insertPrefix);
            statementOpen = true;
            statementBytes = 0;
        }
        row.writeTo(out);
        statementBytes += row.size();
        if (statementBytes >= statementSize) {
            endStatement();
        }
        if (out.count >= fileSize) {
            closeCurrent();
        }
    }

    /** the files published so far, in order */
    List<String> files() {
        return List.copyOf(files);
    }

    long bytes() {
        return totalBytes + (out == null ? 0 : out.count);
    }

    private void openNext() throws IOException {
        currentFile = DumpLayout.dataFile(table, firstIndex + files.size(), "sql");
        out = new CountingStream(new BufferedOutputStream(storage.create(currentFile), 256 * 1024));
        out.write(HEADER.getBytes(StandardCharsets.UTF_8));
        statementOpen = false;
    }

    private void endStatement() throws IOException {
        out.write(STATEMENT_END);
        statementOpen = false;
    }

    private void closeCurrent() throws IOException {
        if (statementOpen) {
            endStatement();
        }
        CountingStream closing = out;
        out = null;
        totalBytes += closing.count;
        // closing publishes the file (Storage.create); only then is it part of the dump
        closing.close();
        files.add(currentFile);
    }

    /**
     * Publishes the last file. After a failure the caller still closes, which publishes a partial file; that is
     * harmless because a dump without its completion marker is never read, and the next attempt clears the directory.
     */
    @Override
    public void close() throws IOException {
        if (out != null) {
            closeCurrent();
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}

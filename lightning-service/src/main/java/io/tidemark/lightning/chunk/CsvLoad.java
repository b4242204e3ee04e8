package io.tidemark.lightning.chunk;

import io.tidemark.common.command.CsvFormat;
import io.tidemark.lightning.sql.ColumnList;
import io.tidemark.lightning.target.SessionText;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file's {@link CsvFormat} as {@code LOAD DATA} reads it: the statement's {@code FIELDS … LINES … IGNORE}
 * clause, and the header line's column names read in the same format, so rows load by name as TiDB Lightning loads
 * them. {@link CsvDigest} reads the rows in the same format.
 */
final class CsvLoad {
    private CsvLoad() {
    }

    /** {@code FIELDS TERMINATED BY … [OPTIONALLY ENCLOSED BY …] ESCAPED BY … LINES TERMINATED BY … [IGNORE 1 LINES]} */
    static String clause(CsvFormat format, boolean header) {
        return " FIELDS TERMINATED BY " + literal(format.separator())
                + (format.delimiter().isEmpty() ? "" : " OPTIONALLY ENCLOSED BY " + literal(format.delimiter()))
                + " ESCAPED BY " + literal(format.backslashEscape() ? "\\" : "")
                + " LINES TERMINATED BY " + literal(format.lineEnd()) + (header ? " IGNORE 1 LINES" : "");
    }

    /** a SQL string literal of {@code text}, control characters written as escapes so the statement stays one line */
    static String literal(String text) {
        StringBuilder out = new StringBuilder("'");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> out.append("\\0");
                default -> out.append(ch);
            }
        }
        return out.append('\'').toString();
    }

    /** the column names of a header line (without its terminator), in the session view */
    static ColumnList headerColumns(byte[] line, CsvFormat format) {
        if (format.separator().equals(",") && format.delimiter().equals("\"") && format.backslashEscape()) {
            return ColumnList.ofCsvHeader(SessionText.ofBytes(line, 0, line.length));
        }
        byte[] separator = format.separator().getBytes(StandardCharsets.UTF_8);
        int quote = format.delimiter().isEmpty() ? -1 : format.delimiter().getBytes(StandardCharsets.UTF_8)[0];
        List<String> names = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        boolean quoted = false;
        for (int i = 0; i < line.length; i++) {
            byte b = line[i];
            if (format.backslashEscape() && b == '\\' && i + 1 < line.length) {
                field.write(line[++i]);
            } else if (b == quote && quoted && i + 1 < line.length && line[i + 1] == quote) {
                field.write(line[++i]);
            } else if (b == quote) {
                quoted = !quoted;
            } else if (!quoted && Arrays.equals(line, i, Math.min(line.length, i + separator.length), separator,
                    0, separator.length)) {
                names.add(SessionText.ofBytes(field.toByteArray(), 0, field.size()));
                field.reset();
                i += separator.length - 1;
            } else {
                field.write(b);
            }
        }
        if (!names.isEmpty() || field.size() > 0) {
            names.add(SessionText.ofBytes(field.toByteArray(), 0, field.size()));
        }
        return new ColumnList(names);
    }
}

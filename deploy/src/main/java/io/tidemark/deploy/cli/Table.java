package io.tidemark.deploy.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Rows of text in aligned columns, as dmctl and kubectl print lists. */
final class Table {
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        rows.add(List.of(header));
    }

    Table row(String... cells) {
        List<String> row = new ArrayList<>();
        for (String c : cells) {
            row.add(c == null ? "-" : c);
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.size() == 1;
    }

    void print(PrintStream out, String indent) {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder s = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                s.append(row.get(i));
                if (i < row.size() - 1) {
                    s.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.println(s);
        }
    }
}

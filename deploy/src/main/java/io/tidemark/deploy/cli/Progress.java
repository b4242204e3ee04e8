package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * What a migration view says of an import's progress, summed over its tables. Two equal values mean nothing
 * changed: the client prints a line only for a new one.
 *
 * @param bytesDone  bytes of the imported chunks, -1 when the view does not say
 * @param bytesTotal bytes of all planned chunks, -1 when the view does not say
 */
record Progress(String phase, int tablesDone, int tablesTotal, int chunksDone, int chunksTotal, long rows,
                long bytesDone, long bytesTotal) {

    static Progress of(JsonNode view) {
        int tablesDone = 0;
        int tablesTotal = 0;
        int chunksDone = 0;
        int chunksTotal = 0;
        long rows = 0;
        long bytesDone = 0;
        long bytesTotal = 0;
        boolean bytesKnown = false;
        for (JsonNode t : view.path("tables")) {
            tablesTotal++;
            if ("imported".equals(Fields.text(t, "state"))) {
                tablesDone++;
            }
            chunksDone += (int) Fields.number(t, "chunksDone").orElse(0);
            chunksTotal += (int) Fields.number(t, "chunksTotal").orElse(0);
            rows += Fields.number(t, "rowsImported").orElse(0);
            OptionalLong done = Fields.number(t, "bytesImported", "bytesDone");
            OptionalLong total = Fields.number(t, "bytesTotal");
            if (done.isPresent() && total.isPresent()) {
                bytesKnown = true;
                bytesDone += done.getAsLong();
                bytesTotal += total.getAsLong();
            }
        }
        String phase = Fields.text(view, "phase");
        return new Progress(phase == null ? "unknown" : phase, tablesDone, tablesTotal, chunksDone, chunksTotal, rows,
                bytesKnown ? bytesDone : -1, bytesKnown ? bytesTotal : -1);
    }

    /** {@code progress: importing, tables 1/2, chunks 3/10 (30%), 1200 rows, 1.2/4.0 MiB, elapsed 12s} */
    String line(Duration elapsed) {
        StringBuilder s = new StringBuilder("progress: ").append(phase);
        if (tablesTotal > 0) {
            s.append(", tables ").append(tablesDone).append('/').append(tablesTotal);
        }
        if (chunksTotal > 0) {
            s.append(", chunks ").append(chunksDone).append('/').append(chunksTotal)
                    .append(" (").append(chunksDone * 100 / chunksTotal).append("%)");
        }
        if (chunksTotal > 0 || rows > 0) {
            s.append(", ").append(rows).append(rows == 1 ? " row" : " rows");
        }
        if (bytesTotal > 0) {
            s.append(", ").append(bytes(bytesDone)).append(" of ").append(bytes(bytesTotal));
        }
        return s.append(", elapsed ").append(duration(Duration.ofSeconds(elapsed.toSeconds()))).toString();
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    static String duration(Duration d) {
        long s = d.toSeconds();
        if (s == 0 && d.toMillis() > 0) {
            return d.toMillis() + "ms";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s % 3600 / 60, s % 60);
    }
}

package io.tidemark.common.layout;

import io.tidemark.common.position.BinlogPosition;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code metadata} file of a dump, in Dumpling's format, so a DM task or a DBA reads the position as usual:
 * <pre>
 * Started dump at: 2026-11-21 10:40:19
 * SHOW MASTER STATUS:
 * 	Log: mysql-bin.000001
 * 	Pos: 2251
 * 	GTID:
 *
 * Finished dump at: 2026-11-21 10:40:20
 * </pre>
 */
public record DumpMetadata(LocalDateTime started, BinlogPosition position, LocalDateTime finished) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern LOG = Pattern.compile("(?m)^\\s*Log:\\s*(\\S+)\\s*$");
    private static final Pattern POS = Pattern.compile("(?m)^\\s*Pos:\\s*(\\d+)\\s*$");
    private static final Pattern GTID = Pattern.compile("(?m)^\\s*GTID:(.*)$");

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("Started dump at: ").append(TIME.format(started)).append('\n');
        sb.append("SHOW MASTER STATUS:\n");
        sb.append("\tLog: ").append(position.file()).append('\n');
        sb.append("\tPos: ").append(position.pos()).append('\n');
        sb.append("\tGTID:").append(position.gtidSet() == null ? "" : position.gtidSet()).append("\n\n");
        if (finished != null) {
            sb.append("Finished dump at: ").append(TIME.format(finished)).append('\n');
        }
        return sb.toString();
    }

    /** the position recorded in a Dumpling-format metadata file, if any */
    public static Optional<BinlogPosition> parsePosition(String text) {
        Matcher log = LOG.matcher(text);
        Matcher pos = POS.matcher(text);
        if (!log.find() || !pos.find()) {
            return Optional.empty();
        }
        Matcher gtid = GTID.matcher(text);
        String gtids = gtid.find() ? gtid.group(1).strip() : null;
        return Optional.of(BinlogPosition.of(log.group(1), Long.parseLong(pos.group(1)), gtids));
    }
}

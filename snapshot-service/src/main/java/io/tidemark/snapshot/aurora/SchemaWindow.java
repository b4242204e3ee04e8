package io.tidemark.snapshot.aurora;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.position.BinlogPosition;
import io.tidemark.common.table.TableRef;
import io.tidemark.snapshot.dump.Source;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The schema files are written at position 1 and the snapshot is taken later. A DDL on a selected table in between
 * means that the exported data no longer matches its {@code CREATE} statement. So the binlog between the two positions
 * is read with {@code SHOW BINLOG EVENTS} in pages (memory stays bounded however busy the source is), and the first
 * DDL that names a selected table fails the export, naming the table and the statement. Only the statement kind and
 * the names after it are read (see {@link #touched}); a data change is never a DDL. Stateless.
 */
final class SchemaWindow {
    private static final int PAGE = 500;
    private static final Set<String> DDL = Set.of("CREATE", "ALTER", "DROP", "RENAME", "TRUNCATE");
    private static final Pattern USE = Pattern.compile("^use\\s+(`(?:[^`]|``)+`|\\S+);\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOKEN = Pattern.compile("`((?:[^`]|``)+)`|([A-Za-z0-9_$]+)|(\\S)");
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|--[^\\n]*|#[^\\n]*", Pattern.DOTALL);

    private SchemaWindow() {
    }

    /**
     * @throws TidemarkException AURORA_EXPORT_DDL_IN_WINDOW naming the table and the statement
     */
    static void check(Source source, Connection c, BinlogPosition start, BinlogPosition end, List<TableRef> tables) {
        if (!start.isBefore(end) || tables.isEmpty()) {
            return;
        }
        try (Statement st = c.createStatement()) {
            for (String file : files(st, start, end)) {
                long from = file.equals(start.file()) ? start.pos() : 4;
                boolean last = file.equals(end.file());
                while (true) {
                    int read = 0;
                    long next = from;
                    try (ResultSet rs = st.executeQuery("SHOW BINLOG EVENTS IN '" + file.replace("'", "''")
                            + "' FROM " + from + " LIMIT " + PAGE)) {
                        while (rs.next()) {
                            read++;
                            long pos = rs.getLong("Pos");
                            if (last && pos >= end.pos()) {
                                return;
                            }
                            next = rs.getLong("End_log_pos");
                            if ("Query".equals(rs.getString("Event_type"))) {
                                String info = rs.getString("Info");
                                Optional<TableRef> table = touched(info, tables);
                                if (table.isPresent()) {
                                    throw new TidemarkException(ErrorCode.AURORA_EXPORT_DDL_IN_WINDOW,
                                            table.get().toString(), file + ":" + pos, start, end, info);
                                }
                            }
                        }
                    }
                    if (read < PAGE || next <= from) {
                        break;
                    }
                    from = next;
                }
            }
        } catch (SQLException e) {
            throw source.failed(e, "reading the binlog between " + start + " and " + end
                    + " (SHOW BINLOG EVENTS) to find DDL on the selected tables");
        }
    }

    /** the binlog files from the one holding {@code start} to the one holding {@code end}, in order */
    private static List<String> files(Statement st, BinlogPosition start, BinlogPosition end) throws SQLException {
        List<String> files = new ArrayList<>();
        boolean in = false;
        try (ResultSet rs = st.executeQuery("SHOW BINARY LOGS")) {
            while (rs.next()) {
                String name = rs.getString(1);
                in = in || name.equals(start.file());
                if (in) {
                    files.add(name);
                }
                if (name.equals(end.file())) {
                    break;
                }
            }
        }
        return files;
    }

    /**
     * The selected table a Query event's statement changes the definition of, if any: the names after {@code TABLE}
     * (each of a list, and each side of {@code TO}) or after {@code ON} of an index statement, or every table of a
     * database the statement drops. An unqualified name belongs to the statement's default schema, which
     * {@code SHOW BINLOG EVENTS} gives as {@code use `db`; }. A temporary table is the session's own.
     */
    static Optional<TableRef> touched(String info, List<TableRef> selected) {
        if (info == null) {
            return Optional.empty();
        }
        String sql = info.strip();
        String schema = "";
        Matcher use = USE.matcher(sql);
        if (use.find()) {
            schema = unquote(use.group(1));
            sql = sql.substring(use.end());
        }
        List<String[]> tokens = tokens(COMMENT.matcher(sql).replaceAll(" "));
        if (tokens.isEmpty() || !DDL.contains(upper(tokens.getFirst()))) {
            return Optional.empty();
        }
        List<TableRef> named = new ArrayList<>();
        List<String> databases = new ArrayList<>();
        boolean index = false;
        for (int i = 1; i < tokens.size(); i++) {
            String word = upper(tokens.get(i));
            if (word.equals("TEMPORARY")) {
                return Optional.empty();
            }
            // ALTER DATABASE changes defaults for new tables only
            if ((word.equals("DATABASE") || word.equals("SCHEMA")) && upper(tokens.getFirst()).equals("DROP")) {
                int at = skipIfExists(tokens, i + 1);
                if (at < tokens.size()) {
                    databases.add(tokens.get(at)[0]);
                }
                break;
            }
            if (word.equals("INDEX") || word.equals("KEY")) {
                index = true;
            }
            if (word.equals("TABLE") || word.equals("TABLES") || (word.equals("ON") && index)) {
                int at = skipIfExists(tokens, i + 1);
                while (at < tokens.size()) {
                    int[] end = new int[1];
                    named.add(name(tokens, at, schema, end));
                    at = end[0];
                    String sep = at < tokens.size() ? upper(tokens.get(at)) : "";
                    if (!sep.equals(",") && !sep.equals("TO")) {
                        break;
                    }
                    at++;
                }
                break;
            }
        }
        for (TableRef t : selected) {
            if (databases.stream().anyMatch(d -> d.equals(t.schema())) || named.contains(t)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** the (possibly qualified) name at {@code at}; {@code end[0]} is set to the token after it */
    private static TableRef name(List<String[]> tokens, int at, String schema, int[] end) {
        String first = tokens.get(at)[0];
        if (at + 2 < tokens.size() && tokens.get(at + 1)[0].equals(".") && tokens.get(at + 1)[1] == null) {
            end[0] = at + 3;
            return new TableRef(first, tokens.get(at + 2)[0]);
        }
        end[0] = at + 1;
        return new TableRef(schema, first);
    }

    private static int skipIfExists(List<String[]> tokens, int at) {
        if (at < tokens.size() && upper(tokens.get(at)).equals("IF")) {
            at++;
            if (at < tokens.size() && upper(tokens.get(at)).equals("NOT")) {
                at++;
            }
            at++; // EXISTS
        }
        return at;
    }

    /** each token as {text, "q" when it was backquoted else null} */
    private static List<String[]> tokens(String sql) {
        List<String[]> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(sql);
        while (m.find()) {
            if (m.group(1) != null) {
                tokens.add(new String[] {m.group(1).replace("``", "`"), "q"});
            } else {
                tokens.add(new String[] {m.group(2) != null ? m.group(2) : m.group(3), null});
            }
        }
        return tokens;
    }

    private static String upper(String[] token) {
        return token[1] != null ? "" : token[0].toUpperCase(Locale.ROOT);
    }

    private static String unquote(String name) {
        return name.startsWith("`") ? name.substring(1, name.length() - 1).replace("``", "`") : name;
    }
}

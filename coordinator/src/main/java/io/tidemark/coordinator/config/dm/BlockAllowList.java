package io.tidemark.coordinator.config.dm;

import org.yaml.snakeyaml.nodes.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One DM block-allow-list rule set as the spec's table filter (Dumpling's table-filter syntax, where the last rule that
 * matches decides). DM's order of decision is kept exactly: do-dbs outrank ignore-dbs (ignore-dbs count only without
 * do-dbs), do-tables outrank ignore-tables likewise, so the filter is the do- rules (or every table) followed by the
 * ignore- rules that count. do-dbs together with do-tables is refused: DM intersects them per schema, which one
 * last-match list cannot say without widening or narrowing. A {@code ~} name is a regular expression DM searches for
 * anywhere in the name; it becomes an anchored {@code /.*(?:re).* /} rule.
 */
final class BlockAllowList {
    private static final List<String> KEYS = List.of("do-dbs", "ignore-dbs", "do-tables", "ignore-tables");
    private static final List<String> TABLE = List.of("db-name", "tbl-name");

    private BlockAllowList() {
    }

    /** the filter rules, or null with the problems recorded */
    static List<String> rules(YamlMap rule, Findings f) {
        rule.keys(KEYS, Map.of());
        List<String> doDbs = rule.strings("do-dbs");
        List<String> ignoreDbs = rule.strings("ignore-dbs");
        List<String[]> doTables = tables(rule, "do-tables", f);
        List<String[]> ignoreTables = tables(rule, "ignore-tables", f);
        if (!doDbs.isEmpty() && !doTables.isEmpty()) {
            f.problem(rule.path(), rule.node(), null, "has both do-dbs and do-tables, which DM intersects schema by"
                    + " schema; Tidemark cannot say that in one table filter exactly", "list the tables in do-tables"
                    + " only (a whole schema as db-name: \"mydb\", tbl-name: \"*\"), or the schemas in do-dbs only");
            return null;
        }
        List<String> out = new ArrayList<>();
        if (!doDbs.isEmpty()) {
            doDbs.forEach(db -> out.add(name(db) + ".*"));
        } else if (!doTables.isEmpty()) {
            doTables.forEach(t -> out.add(name(t[0]) + "." + name(t[1])));
        } else {
            out.add("*.*");
        }
        if (doDbs.isEmpty()) {
            ignoreDbs.forEach(db -> out.add("!" + name(db) + ".*"));
        }
        if (doTables.isEmpty()) {
            ignoreTables.forEach(t -> out.add("!" + name(t[0]) + "." + name(t[1])));
        }
        return out;
    }

    private static List<String[]> tables(YamlMap rule, String key, Findings f) {
        List<String[]> out = new ArrayList<>();
        for (Map.Entry<String, Node> e : rule.list(key)) {
            YamlMap t = YamlMap.entry(e, f);
            if (t == null) {
                continue;
            }
            t.keys(TABLE, Map.of());
            String db = t.string("db-name");
            String tbl = t.string("tbl-name");
            if (db == null || tbl == null) {
                f.problem(e.getKey(), e.getValue(), null, "needs db-name and tbl-name",
                        "write - db-name: \"mydb\" and tbl-name: \"orders\" (\"*\" for every table)");
                continue;
            }
            out.add(new String[]{db, tbl});
        }
        return out;
    }

    /** a DM name pattern as a table-filter part: wildcards as they are, {@code ~re} as a regex, odd names quoted */
    static String name(String dm) {
        if (dm.startsWith("~")) {
            return "/.*(?:" + dm.substring(1).replace("/", "\\/") + ").*/";
        }
        if (dm.matches("[A-Za-z0-9_$*?\\[\\]-]+") || dm.contains("[")) { // [a-z], [!a-z] are wildcards
            return dm;
        }
        return "`" + dm.replace("`", "``") + "`";
    }
}

package io.tidemark.coordinator.config.dm;

import io.tidemark.common.command.ReplicationTask;
import io.tidemark.common.endpoint.TlsSettings;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.coordinator.config.lightning.Note;
import io.tidemark.mysql.position.GtidSet;
import org.yaml.snakeyaml.nodes.Node;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a DM task file (DM v2+ {@code task.yaml}, and the keys of older versions that no longer do anything) and maps
 * it onto migration specs, one per {@code mysql-instances[]} entry ({@link TaskFile}). Every problem is found in one
 * read, each with its key path and line; keys Tidemark does not implement are refused by name rather than ignored,
 * and keys accepted but used differently are noted. Stateless.
 */
public final class TaskFiles {
    static final String KIND = "task";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final List<String> MODES = List.of("full", "incremental", "all");
    private static final List<String> TOP = List.of("name", "task-mode", "shard-mode", "meta-schema",
            "case-sensitive", "target-database", "block-allow-list", "black-white-list", "routes", "filters",
            "mydumpers", "loaders", "syncers", "mysql-instances", "clean-dump-file");
    private static final Map<String, String> OBSOLETE = Map.of(
            "is-sharding", "is-sharding is of DM v1 and does nothing; shard-mode replaced it",
            "enable-heartbeat", "heartbeats of DM v1 do nothing; lag is measured from the binlog events' timestamps",
            "heartbeat-update-interval", "heartbeats of DM v1 do nothing; lag is measured from the binlog events'"
                    + " timestamps",
            "heartbeat-report-interval", "heartbeats of DM v1 do nothing; lag is measured from the binlog events'"
                    + " timestamps",
            "remove-meta", "remove-meta of DM v1 does nothing; start-task --remove-meta starts over");
    private static final List<String> TARGET = List.of("host", "port", "user", "password", "max-allowed-packet",
            "session", "security");
    private static final List<String> SECURITY = List.of("ssl-ca", "ssl-cert", "ssl-key", "cert-allowed-cn");
    private static final List<String> INSTANCE = List.of("source-id", "meta", "block-allow-list", "black-white-list",
            "route-rules", "filter-rules", "mydumper-config-name", "loader-config-name", "syncer-config-name",
            "mydumper", "loader", "syncer", "mydumper-thread", "loader-thread", "syncer-thread");
    private static final List<String> META = List.of("binlog-name", "binlog-pos", "binlog-gtid");
    private static final List<String> ROUTE = List.of("schema-pattern", "table-pattern", "target-schema",
            "target-table", "extract-table", "extract-schema", "extract-source");
    /** DM's extract rules: the key, the key of its regexp, and the spec's field */
    private static final List<List<String>> EXTRACTS = List.of(
            List.of("extract-table", "table-regexp", "extractTable"),
            List.of("extract-schema", "schema-regexp", "extractSchema"),
            List.of("extract-source", "source-regexp", "extractSource"));
    private static final List<String> FILTER = List.of("schema-pattern", "table-pattern", "events", "sql-pattern",
            "action");
    private static final List<String> MYDUMPER = List.of("threads", "chunk-filesize", "rows", "extra-args",
            "skip-tz-utc");
    private static final List<String> LOADER = List.of("pool-size", "dir", "import-mode");
    private static final List<String> SYNCER = List.of("worker-count", "batch", "safe-mode", "safe-mode-duration",
            "enable-ansi-quotes", "compact", "multiple-rows");
    private static final Set<String> CONSISTENCY = Set.of("none", "lock", "flush", "snapshot", "auto");

    /**
     * where a source-id leads: its connection, password in plaintext for the spec, its enable-gtid, and its TLS as
     * stored (the key sealed)
     */
    public record Source(String host, int port, String user, String password, boolean enableGtid, TlsSettings tls) {
        public Source {
            tls = tls == null ? TlsSettings.DISABLED : tls;
        }

        public Source(String host, int port, String user, String password, boolean enableGtid) {
            this(host, port, user, password, enableGtid, TlsSettings.DISABLED);
        }

        /** a source replicated by binlog file and offset */
        public Source(String host, int port, String user, String password) {
            this(host, port, user, password, false);
        }

        @Override
        public String toString() {
            return user + "@" + host + ":" + port;
        }
    }

    private TaskFiles() {
    }

    /**
     * @param fileName  the file's name as the user gave it, for messages
     * @param sources   the created sources by source-id
     * @param passwords opens a {@code tidemark encrypt} password
     * @throws DmConfigException with every problem of the file
     */
    public static TaskFile parse(String text, String fileName, Function<String, Optional<Source>> sources,
                                 Passwords passwords) {
        Findings f = new Findings(KIND, fileName);
        YamlMap root = YamlMap.root(text, f);
        f.throwIfAny();
        root.keys(TOP, OBSOLETE);
        String name = root.string("name");
        if (name == null || name.isBlank()) {
            f.problem("name", root.node(), null, "is missing", "name the task, e.g. name: \"test\"");
        }
        String mode = root.string("task-mode");
        if (mode == null) {
            f.problem("task-mode", root.node(), null, "is missing", "write task-mode: full, incremental or all");
        } else if (!MODES.contains(mode)) {
            f.problem("task-mode", root.value("task-mode"), "\"" + mode + "\"", "is not full, incremental or all",
                    "write task-mode: " + io.tidemark.coordinator.config.NearestName.of(mode, MODES).orElse("all"));
        }
        String shardMode = root.string("shard-mode");
        if ("optimistic".equals(shardMode)) {
            f.problem("shard-mode", root.value("shard-mode"), "\"optimistic\"", "is not offered: DM's optimistic"
                    + " mode applies each shard's DDL as it comes and lets shards of different definitions write one"
                    + " table, which Tidemark's checks (shards defined alike, verification per table) do not allow",
                    "remove shard-mode: route-rules merge shards into one table without it (a DDL on such a table"
                    + " then stops the task with TM-30032), or migrate each shard's tables to tables of their own");
        } else if (shardMode != null && !shardMode.isEmpty() && !"pessimistic".equals(shardMode)) {
            f.problem("shard-mode", root.value("shard-mode"), "\"" + shardMode + "\"", "is not pessimistic or"
                    + " optimistic", "write shard-mode: \"pessimistic\", or leave it out (a DDL on a merged table then"
                    + " stops the task with TM-30032)");
        }
        if ("pessimistic".equals(shardMode) && "incremental".equals(mode)) {
            f.note("shard-mode", root.value("shard-mode"), "task-mode incremental lists no shards (no snapshot does),"
                    + " so a shard DDL lock cannot know when every shard reached its DDL: resolve each with"
                    + " shard-ddl-lock unlock LOCK-ID once they have");
        }
        if (root.has("meta-schema")) {
            f.note("meta-schema", root.value("meta-schema"), "Tidemark keeps its checkpoints in the target's"
                    + " tidemark_meta schema, not in " + root.string("meta-schema"));
        }
        if (Boolean.TRUE.equals(root.bool("case-sensitive"))) {
            f.problem("case-sensitive", root.value("case-sensitive"), "true", "is not implemented: Tidemark's table"
                    + " filters match names without regard to case, which would select more than this task asks",
                    "remove case-sensitive (false is DM's default) and name the tables as they are");
        }
        if (root.has("clean-dump-file")) {
            root.bool("clean-dump-file");
            f.note("clean-dump-file", root.value("clean-dump-file"), "Tidemark keeps the dump in its storage"
                    + " location; delete it there when the task is done");
        }
        ObjectNode target = target(root.map("target-database"), root, passwords, f);
        Map<String, YamlMap> baLists = new LinkedHashMap<>(root.named("block-allow-list"));
        if (root.has("black-white-list")) {
            f.note("black-white-list", root.keyNode("black-white-list"), "the old name of block-allow-list; read as"
                    + " block-allow-list");
            root.named("black-white-list").forEach(baLists::putIfAbsent);
        }
        Map<String, List<String>> filters = new LinkedHashMap<>();
        baLists.forEach((n, rule) -> filters.put(n, BlockAllowList.rules(rule, f)));
        Map<String, ObjectNode> routes = new LinkedHashMap<>();
        root.named("routes").forEach((n, r) -> routes.put(n, route(r, f)));
        Map<String, ObjectNode> binlogFilters = new LinkedHashMap<>();
        root.named("filters").forEach((n, r) -> binlogFilters.put(n, binlogFilter(r, f)));
        Map<String, YamlMap> mydumpers = root.named("mydumpers");
        Map<String, YamlMap> loaders = root.named("loaders");
        Map<String, YamlMap> syncers = root.named("syncers");

        List<Map.Entry<String, Node>> entries = root.list("mysql-instances");
        if (entries.isEmpty() && !f.hasProblems()) {
            f.problem("mysql-instances", root.node(), null, "is missing or empty",
                    "list the sources to migrate: mysql-instances: [{source-id: \"mysql-01\"}]");
        }
        List<TaskFile.Instance> instances = new ArrayList<>();
        for (Map.Entry<String, Node> e : entries) {
            YamlMap m = YamlMap.entry(e, f);
            if (m == null) {
                continue;
            }
            m.keys(INSTANCE, Map.of());
            Instance in = new Instance(m, f);
            ObjectNode spec = JSON.objectNode();
            String sourceId = m.string("source-id");
            if (sourceId == null) {
                f.problem(m.child("source-id"), m.node(), null, "is missing",
                        "write the source-id of a created source, e.g. source-id: \"mysql-01\"");
            } else {
                Optional<Source> source = sources.apply(sourceId);
                if (source.isEmpty()) {
                    f.problem(m.child("source-id"), m.value("source-id"), "\"" + sourceId + "\"",
                            "names no created source", "create it first: tidemark operate-source create"
                                    + " source.yaml (POST /api/v1/sources)");
                } else {
                    spec.set("source", endpoint(source.get()));
                    if (source.get().enableGtid() && !"full".equals(mode)) {
                        spec.put("enableGtid", true);
                    }
                }
            }
            spec.put("name", name == null ? "" : entries.size() == 1 ? name : name + "-" + sourceId);
            spec.put("mode", mode);
            if (target != null) {
                spec.set("target", target);
            }
            List<String> filter = in.referenced("block-allow-list", filters);
            if (m.has("black-white-list")) {
                f.note(m.child("black-white-list"), m.keyNode("black-white-list"), "the old name of"
                        + " block-allow-list; read as block-allow-list");
                if (filter == null) {
                    filter = in.referenced("black-white-list", filters);
                }
            }
            YamlMap mydumper = in.config("mydumper", mydumpers);
            List<String> dumpFilter = mydumper(mydumper, f);
            if (dumpFilter != null && filter != null) {
                f.problem(mydumper.child("extra-args"), mydumper.value("extra-args"), null, "selects tables with"
                        + " --filter beside the block-allow-list " + m.string("block-allow-list"), "select the"
                        + " tables in one of the two, the block-allow-list preferably");
            }
            List<String> rules = filter != null ? filter : dumpFilter;
            if (rules != null) {
                ArrayNode list = spec.putArray("filter");
                rules.forEach(list::add);
            }
            YamlMap loader = in.config("loader", loaders);
            String dir = loader(loader, f);
            if ("full".equals(mode) || "all".equals(mode)) {
                if (dir == null || !(dir.startsWith("/") || dir.startsWith("s3://") || dir.startsWith("file://"))) {
                    f.problem(loader == null ? m.path() : loader.child("dir"), loader == null ? m.node()
                                    : loader.value("dir"), dir == null ? null : "\"" + dir + "\"",
                            "does not say where to dump: task-mode " + mode + " dumps the source to storage before"
                                    + " loading it, and DM's relative default ./dumped_data has no meaning on a"
                                    + " service", "set loaders.<name>.dir to an absolute path or s3://bucket/prefix");
                } else {
                    spec.put("storage", dir);
                }
            }
            meta(m, mode, spec, f);
            syncer(in.config("syncer", syncers), mode, spec, f);
            ArrayNode routeList = in.list("route-rules", routes);
            if (routeList != null && sourceId != null) {
                // extract-source reads the source's name: this entry's source-id
                routeList.valueStream().map(ObjectNode.class::cast).filter(r -> r.has("extractSource"))
                        .forEach(r -> r.put("source", sourceId));
            }
            if (routeList != null) {
                spec.set("routes", routeList);
            }
            ArrayNode filterList = in.list("filter-rules", binlogFilters);
            if (filterList != null) {
                spec.set("binlogFilters", filterList);
            }
            for (String thread : List.of("mydumper-thread", "loader-thread", "syncer-thread")) {
                if (m.has(thread)) {
                    m.integer(thread, 1, 1024);
                    f.note(m.child(thread), m.value(thread), "Tidemark sizes its own workers; scale a service by"
                            + " adding workers");
                }
            }
            instances.add(new TaskFile.Instance(sourceId, m.path(), spec.get("name").asString(), spec));
        }
        List<String> ids = instances.stream().map(TaskFile.Instance::sourceId).toList();
        if (ids.stream().distinct().count() < ids.size()) {
            f.problem("mysql-instances", root.keyNode("mysql-instances"), null, "names one source-id twice",
                    "list each source once");
        }
        f.throwIfAny();
        return new TaskFile(name, mode, instances, f.notes(), "pessimistic".equals(shardMode));
    }

    /** one mysql-instances entry's references to the task's named configurations */
    private record Instance(YamlMap m, Findings f) {
        /** the named rule set an entry references, or null when it references none (problem when unknown) */
        <T> T referenced(String key, Map<String, T> named) {
            String ref = m.string(key);
            if (ref == null) {
                return null;
            }
            if (!named.containsKey(ref)) {
                f.problem(m.child(key), m.value(key), "\"" + ref + "\"", "names no rule set of the task's " + key,
                        named.isEmpty() ? "define it under " + key + ": at the top of the file"
                                : "use one of " + String.join(", ", named.keySet()));
                return null;
            }
            return named.get(ref);
        }

        /** the inline form ({@code mydumper:}) or the named one ({@code mydumper-config-name:}) */
        YamlMap config(String unit, Map<String, YamlMap> named) {
            YamlMap inline = m.map(unit);
            YamlMap byName = referenced(unit + "-config-name", named);
            if (inline != null && byName != null) {
                f.problem(m.child(unit), m.keyNode(unit), null, "is given beside " + unit + "-config-name",
                        "keep one of the two");
            }
            return inline != null ? inline : byName;
        }

        ArrayNode list(String key, Map<String, ObjectNode> named) {
            List<String> refs = m.strings(key);
            if (refs.isEmpty()) {
                return null;
            }
            ArrayNode out = JSON.arrayNode();
            for (String ref : refs) {
                ObjectNode rule = named.get(ref);
                if (rule == null) {
                    f.problem(m.child(key), m.value(key), "\"" + ref + "\"", "names no rule of the task",
                            named.isEmpty() ? "define it at the top of the file"
                                    : "use one of " + String.join(", ", named.keySet()));
                } else {
                    out.add(rule.deepCopy());
                }
            }
            return out;
        }
    }

    private static ObjectNode target(YamlMap t, YamlMap root, Passwords passwords, Findings f) {
        if (t == null) {
            f.problem("target-database", root.node(), null, "is missing",
                    "give target-database: with host, port, user and password");
            return null;
        }
        t.keys(TARGET, Map.of());
        ObjectNode out = JSON.objectNode();
        String host = t.string("host");
        if (host == null) {
            f.problem(t.child("host"), t.node(), null, "is missing", "write host: \"tidb.example.com\"");
        }
        Integer port = t.integer("port", 1, 65535);
        if (port == null && !t.has("port")) {
            f.problem(t.child("port"), t.node(), null, "is missing", "write port: 4000");
        }
        String user = t.string("user");
        if (user == null) {
            f.problem(t.child("user"), t.node(), null, "is missing", "write user: \"root\"");
        }
        String password = SourceFiles.plaintext(t, passwords, f);
        if (t.has("max-allowed-packet")) {
            f.note(t.child("max-allowed-packet"), t.value("max-allowed-packet"), "accepted and not used; DM itself"
                    + " ignores it since v2.0.0");
        }
        YamlMap session = t.map("session");
        if (session != null && !session.names().isEmpty()) {
            f.problem(t.child("session"), t.keyNode("session"), null, "is not implemented: Tidemark sets its own"
                    + " session variables on the target", "remove target-database.session");
        }
        YamlMap security = t.map("security");
        if (security != null) {
            security.keys(SECURITY, Map.of());
            if (security.has("cert-allowed-cn")) {
                security.strings("cert-allowed-cn");
                f.note(t.child("security.cert-allowed-cn"), security.value("cert-allowed-cn"), "accepted and not"
                        + " used: it names the clients a DM worker accepts, and Tidemark's services take no TLS"
                        + " clients");
            }
            SourceFiles.keyIsAPath(security, t.child("security.ssl-key"), f);
            // the spec's target.tls; TlsFields decides the mode and seals the key when the spec is validated
            ObjectNode tls = JSON.objectNode();
            optional(tls, "ca", security.string("ssl-ca"));
            optional(tls, "cert", security.string("ssl-cert"));
            optional(tls, "key", security.string("ssl-key"));
            if (!tls.isEmpty()) {
                out.set("tls", tls);
            }
        }
        out.put("host", host);
        if (port != null) {
            out.put("port", port);
        }
        out.put("user", user);
        out.put("password", password);
        return out;
    }

    private static ObjectNode endpoint(Source s) {
        ObjectNode out = JSON.objectNode();
        out.put("host", s.host());
        out.put("port", s.port());
        out.put("user", s.user());
        out.put("password", s.password());
        if (s.tls().enabled()) {
            ObjectNode tls = out.putObject("tls");
            tls.put("mode", s.tls().mode().word());
            optional(tls, "ca", s.tls().ca());
            optional(tls, "cert", s.tls().cert());
            optional(tls, "key", s.tls().key() == null ? null : s.tls().key().value());
        }
        return out;
    }

    private static ObjectNode route(YamlMap r, Findings f) {
        r.keys(ROUTE, Map.of());
        ObjectNode out = JSON.objectNode();
        String schema = r.string("schema-pattern");
        String targetSchema = r.string("target-schema");
        if (schema == null || targetSchema == null) {
            f.problem(r.path(), r.node(), null, "needs schema-pattern and target-schema",
                    "write schema-pattern: \"shop_*\" and target-schema: \"shop\"");
        }
        out.put("schemaPattern", schema);
        optional(out, "tablePattern", r.string("table-pattern"));
        out.put("targetSchema", targetSchema);
        optional(out, "targetTable", r.string("target-table"));
        for (List<String> kind : EXTRACTS) {
            YamlMap e = r.map(kind.get(0));
            if (e == null) {
                continue;
            }
            e.keys(List.of(kind.get(1), "target-column"), Map.of());
            String regexp = e.string(kind.get(1));
            String column = e.string("target-column");
            if (regexp == null || regexp.isEmpty() || column == null || column.isBlank()) {
                f.problem(e.path(), e.node(), null, "needs " + kind.get(1) + " and target-column",
                        "write " + kind.get(0) + ": {" + kind.get(1) + ": \"(.*)\", target-column: \"c_"
                                + kind.get(0).substring("extract-".length()) + "\"}");
                continue;
            }
            try {
                java.util.regex.Pattern.compile(regexp);
            } catch (java.util.regex.PatternSyntaxException bad) {
                f.problem(e.child(kind.get(1)), e.value(kind.get(1)), "\"" + regexp + "\"",
                        "is not a regular expression: " + bad.getDescription(), "write a regular expression with"
                                + " a capturing group, e.g. \"t_(.*)\"");
                continue;
            }
            if (r.string("table-pattern") == null) {
                f.problem(e.path(), e.node(), null, "needs the rule's table-pattern: it fills a column of the"
                        + " tables a table rule writes", "add table-pattern to the rule");
                continue;
            }
            ObjectNode x = out.putObject(kind.get(2));
            x.put("regexp", regexp);
            x.put("targetColumn", column);
        }
        return out;
    }

    private static ObjectNode binlogFilter(YamlMap r, Findings f) {
        r.keys(FILTER, Map.of());
        ObjectNode out = JSON.objectNode();
        String schema = r.string("schema-pattern");
        String action = r.string("action");
        if (schema == null) {
            f.problem(r.child("schema-pattern"), r.node(), null, "is missing", "write schema-pattern: \"shop_*\"");
        }
        if (action == null || !List.of("Ignore", "Do", "Error").contains(action)) {
            f.problem(r.child("action"), action == null ? r.node() : r.value("action"),
                    action == null ? null : "\"" + action + "\"", "must be Ignore, Do or Error",
                    "write action: Ignore");
        }
        out.put("schemaPattern", schema);
        optional(out, "tablePattern", r.string("table-pattern"));
        ArrayNode events = out.putArray("events");
        r.strings("events").forEach(events::add);
        List<String> sql = r.strings("sql-pattern");
        if (!sql.isEmpty()) {
            ArrayNode s = out.putArray("sqlPattern");
            sql.forEach(s::add);
        }
        out.put("action", action);
        return out;
    }

    private static void optional(ObjectNode out, String field, String value) {
        if (value != null) {
            out.put(field, value);
        }
    }

    /** notes the sizing keys; the tables {@code --filter} selects, or null */
    private static List<String> mydumper(YamlMap d, Findings f) {
        if (d == null) {
            return null;
        }
        d.keys(MYDUMPER, Map.of());
        for (String key : List.of("threads", "chunk-filesize", "rows")) {
            if (d.has(key)) {
                d.string(key);
                f.note(d.child(key), d.value(key), "Tidemark's snapshot-service sizes its own dump (tables in"
                        + " parallel, chunks by key range); scale it by adding workers");
            }
        }
        if (d.has("skip-tz-utc")) {
            d.bool("skip-tz-utc");
            f.note(d.child("skip-tz-utc"), d.value("skip-tz-utc"), "Tidemark always dumps in UTC");
        }
        String args = d.string("extra-args");
        if (args == null) {
            return null;
        }
        Node at = d.value("extra-args");
        String path = d.child("extra-args");
        List<String> words = List.of(args.trim().split("\\s+"));
        List<String> filter = null;
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            String flag = w.contains("=") ? w.substring(0, w.indexOf('=')) : w;
            String value = w.contains("=") ? w.substring(w.indexOf('=') + 1)
                    : i + 1 < words.size() && !words.get(i + 1).startsWith("-") ? words.get(++i) : null;
            switch (flag) {
                case "--consistency" -> {
                    if (value == null || !CONSISTENCY.contains(value)) {
                        f.problem(path, at, "\"" + args + "\"", "--consistency takes none, lock, flush, snapshot or"
                                + " auto", "write --consistency none (what the seed uses on a restored instance)");
                    } else {
                        f.note(path, at, "--consistency " + value + ": Tidemark records the binlog position"
                                + " itself and replays the overlap in safe mode, so every consistency is exact");
                    }
                }
                case "--filter", "-f" -> {
                    if (value == null) {
                        f.problem(path, at, "\"" + args + "\"", "--filter has no rule", "write --filter 'db.table'");
                    } else {
                        filter = filter == null ? new ArrayList<>() : filter;
                        filter.add(value.replaceAll("^['\"]|['\"]$", ""));
                    }
                }
                case "" -> {
                }
                default -> f.problem(path, at, "\"" + args + "\"", flag + " is not an extra-args flag Tidemark"
                        + " implements (it takes --consistency and --filter)" + (flag.equals("--where")
                        ? "; --where would dump only some rows, which Tidemark's checksums then report as missing"
                        : ""), "remove " + flag);
            }
        }
        return filter;
    }

    /** the dump location, import-mode noted */
    private static String loader(YamlMap l, Findings f) {
        if (l == null) {
            return null;
        }
        l.keys(LOADER, Map.of());
        if (l.has("pool-size")) {
            l.integer("pool-size", 1, 1024);
            f.note(l.child("pool-size"), l.value("pool-size"), "Tidemark's lightning-service sizes its own"
                    + " import; scale it by adding workers");
        }
        String mode = l.string("import-mode");
        if ("physical".equals(mode)) {
            f.note(l.child("import-mode"), l.value("import-mode"), "physical import (TiKV SST files) is not"
                    + " available: Tidemark imports through SQL, as TiDB Lightning's backend = \"tidb\", checksummed");
        } else if (mode != null && !List.of("logical", "sql", "loader").contains(mode)) {
            f.problem(l.child("import-mode"), l.value("import-mode"), "\"" + mode + "\"",
                    "is not logical or physical", "write import-mode: logical");
        }
        return l.string("dir");
    }

    private static void syncer(YamlMap s, String mode, ObjectNode spec, Findings f) {
        if (s == null) {
            return;
        }
        s.keys(SYNCER, Map.of());
        if (s.has("worker-count")) {
            Integer workers = s.integer("worker-count", 1, ReplicationTask.MAX_WORKER_COUNT);
            if ("full".equals(mode)) {
                f.note(s.child("worker-count"), s.value("worker-count"), "used only by the modes that replicate;"
                        + " task-mode full has no sync unit");
            } else if (workers != null) {
                spec.put("workerCount", workers);
            }
        }
        if (s.has("batch")) {
            s.integer("batch", 1, 100_000);
            f.note(s.child("batch"), s.value("batch"), "Tidemark's dm-service sizes its own batches"
                    + " (tidemark.dm.batch-max-rows)");
        }
        if (s.has("enable-ansi-quotes")) {
            s.bool("enable-ansi-quotes");
            f.note(s.child("enable-ansi-quotes"), s.value("enable-ansi-quotes"), "accepted and not used: Tidemark"
                    + " writes its own statements");
        }
        for (String key : List.of("compact", "multiple-rows")) {
            if (s.has(key)) {
                s.bool(key);
                f.note(s.child(key), s.value(key), "accepted and not used per task: the dm-service compacts the"
                        + " changes of one row into multi-row statements by itself (tidemark.dm.compact, default"
                        + " true)");
            }
        }
        if (Boolean.TRUE.equals(s.bool("safe-mode"))) {
            spec.put("safeMode", true);
        }
        String duration = s.string("safe-mode-duration");
        if (duration != null) {
            spec.put("safeModeDuration", duration);
        }
    }

    private static void meta(YamlMap m, String mode, ObjectNode spec, Findings f) {
        YamlMap meta = m.map("meta");
        if (meta == null) {
            return;
        }
        meta.keys(META, Map.of());
        String file = meta.string("binlog-name");
        Integer pos = meta.integer("binlog-pos", 4, Integer.MAX_VALUE);
        String gtid = meta.string("binlog-gtid");
        if (!"incremental".equals(mode)) {
            f.note(m.child("meta"), m.keyNode("meta"), "used only by task-mode incremental; task-mode " + mode
                    + " starts replicating where its own dump began");
            return;
        }
        if (file == null || (pos == null && !meta.has("binlog-pos"))) {
            f.problem(meta.path(), meta.node(), null, "needs binlog-name and binlog-pos", "write binlog-name:"
                    + " \"mysql-bin.000004\" and binlog-pos: 109227 from SHOW MASTER STATUS");
            return;
        }
        if (pos == null) {
            return;
        }
        ObjectNode start = spec.putObject("start");
        start.put("file", file);
        start.put("pos", pos.longValue());
        if (gtid != null && !gtid.isBlank()) {
            try {
                GtidSet.parse(gtid);
            } catch (TidemarkException e) {
                f.problem(meta.child("binlog-gtid"), meta.value("binlog-gtid"), "\"" + gtid + "\"", e.detail(),
                        e.error().remedy());
                return;
            }
        }
        if (gtid != null) {
            start.put("gtid", gtid);
            f.note(meta.child("binlog-gtid"), meta.value("binlog-gtid"), "with the source's enable-gtid: true"
                    + " replication starts after this GTID set; otherwise at binlog-name and binlog-pos, the set"
                    + " recorded beside them");
        }
    }
}

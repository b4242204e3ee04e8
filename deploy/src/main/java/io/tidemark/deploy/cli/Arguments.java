package io.tidemark.deploy.cli;

import io.tidemark.coordinator.config.NearestName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses the command line dmctl's way: global flags, a verb, the verb's flags and arguments. Flags are written
 * {@code --name value}, {@code --name=value}, or with one dash as Go's flag package (TiDB Lightning's
 * {@code -config}) accepts them; the global {@code --master-addr} may also follow the verb. Anything unknown is
 * refused with the nearest valid name.
 */
final class Arguments {
    static final String USAGE = """
            usage: tidemark [--master-addr HOST:PORT] import --config FILE [--detach] [--check]
                   tidemark [--master-addr HOST:PORT] [--json] query-status [TASK | MIGRATION-ID]
                   tidemark [--master-addr HOST:PORT] [--json] operate-source create|update FILE | stop FILE|ID | show [ID]
                   tidemark [--master-addr HOST:PORT] [--json] check-task FILE | start-task FILE [--remove-meta]
                   tidemark [--master-addr HOST:PORT] [--json] pause-task|resume-task|stop-task TASK
                   tidemark [--master-addr HOST:PORT] [--json] start-relay|stop-relay SOURCE-ID
                   tidemark [--master-addr HOST:PORT] [--json] purge-relay -s SOURCE-ID --filename FILE
                   tidemark [--master-addr HOST:PORT] [--json] encrypt PLAINTEXT
                   tidemark [--master-addr HOST:PORT] [--json] binlog skip|replace|inject TASK|MIGRATION-ID [-b FILE:POS] [SQL...]
                   tidemark [--master-addr HOST:PORT] [--json] binlog list TASK|MIGRATION-ID
                   tidemark [--master-addr HOST:PORT] [--json] shard-ddl-lock [TASK] | shard-ddl-lock unlock LOCK-ID
                   tidemark [--master-addr HOST:PORT] [--json] config export [-d DIR] | import [-d DIR] [--overwrite]
                   tidemark [--master-addr HOST:PORT] [--json] verify TASK|MIGRATION-ID [--at FILE:POS|now] [--lock]
                                                            [--chunk-rows N] [--timeout 5m]

              import          imports the files a TiDB Lightning configuration file points at into its target, and
                              waits: progress lines, then each table's rows and "the whole procedure completed"
                --config      the TiDB Lightning file (TOML), sent to the coordinator as it is
                --detach      return once the import is accepted, printing its id
                --check       check the file, its files and its target and show what would be imported; creates nothing
              query-status    without an argument: every migration (id, name, mode, phase) and every DM task; with a
                              task's name: its stage, and each source's unit, progress and positions; with a
                              migration id: its detail
              operate-source  a DM source file: create, update (replace), stop (delete; refused while a task reads
                              it), show (every source, or one)
              check-task      every precheck of a DM task file, each PASS, WARN or FAIL with its fix; creates nothing
              start-task      starts a DM task file: one migration per mysql-instances entry; the same file
                              after stop-task continues from its checkpoint, --remove-meta starts over at meta
              pause-task      pauses a task; resume-task resumes it (or retries it after an error); stop-task stops it
                              and forgets it
              start-relay     runs a source's relay log (its binlog spooled to Kafka for its tasks), from where it
                              first started or the source's position now; stop-relay stops it
              purge-relay     deletes a source's relayed binlog before FILE (e.g. mysql-bin.000003); refused while a
                              task still reading the relay has its checkpoint before FILE
              encrypt         seals a password with the coordinator's key, for `password:` in DM files
              binlog          for a task stopped on a DDL the target rejected: skip it, replace it with the SQL given,
                              or inject the SQL before it, then resume (-b: the position the error names, the
                              default); list shows the operations asked for and whether one is still pending
              shard-ddl-lock  shard-mode pessimistic: each lock (task and merged table), the shards at its DDL and
                              the shards it waits for; unlock lets a stuck lock's waiting shards go on past their DDL,
                              the first one's run on the merged table
              config          export: every source and task as files, DIR/sources/ID.yaml and DIR/tasks/NAME.yaml
                              (-d DIR, default ./configs), passwords sealed with the coordinator's key; import:
                              creates those files' sources, then starts their tasks (e.g. on a new cluster with the
                              same tidemark.secret-key); refused naming them when any exists, unless --overwrite
                              (sources replaced, running tasks stopped and started again)
              verify          waits until replication has applied the source up to --at (default now: the source's
                              position when verify starts; --timeout, default 5m), then compares every migrated
                              table, source against target, in chunks of --chunk-rows rows (default 10000) by key
                              range: row count and checksum; prints each table ok or different and each differing
                              chunk's key range. --lock read-locks the source tables meanwhile (exact at one point;
                              writers wait); without it a differing chunk is compared again after catching up.
                              Exit 0 all equal, 1 differences (or the comparison failed), 2 refused, 3 unreachable
              --json          prints the coordinator's answer as JSON (DM verbs and query-status), for scripts

              --master-addr   the coordinator's REST address (default: $TIDEMARK_MASTER_ADDR, else 127.0.0.1:8080)
              --token         the coordinator's API token (visible to other users in the process list: prefer
                              $TIDEMARK_TOKEN); default: $TIDEMARK_TOKEN, else the file $TIDEMARK_TOKEN_FILE, else
                              .tidemark/api-token (the standalone's, in this directory), else ~/.tidemark/api-token

            exit status: 0 done; 1 the import failed, a check failed, or the coordinator could not do what was asked;
                         2 nothing started (usage, or the coordinator refused the file or request);
                         3 the coordinator cannot be reached
            """;

    static final String TOKEN_ENV = "TIDEMARK_TOKEN";
    static final String TOKEN_FILE_ENV = "TIDEMARK_TOKEN_FILE";
    private static final String IMPORT = "import";
    private static final String QUERY_STATUS = "query-status";
    private static final String HELP = "help";
    private static final String START_TASK = "start-task";
    private static final String BINLOG = "binlog";
    private static final String VERIFY = "verify";
    private static final String CONFIG = "config";
    private static final String PURGE_RELAY = "purge-relay";
    private static final String SHARD_DDL_LOCK = "shard-ddl-lock";
    /** dmctl's verbs on DM files, with how many operands each takes (at least, at most) */
    private static final Map<String, int[]> DM_VERBS = Map.ofEntries(
            Map.entry("operate-source", new int[]{1, 2}),
            Map.entry("check-task", new int[]{1, 1}),
            Map.entry(START_TASK, new int[]{1, 1}),
            Map.entry("pause-task", new int[]{1, 1}),
            Map.entry("resume-task", new int[]{1, 1}),
            Map.entry("stop-task", new int[]{1, 1}),
            Map.entry("encrypt", new int[]{1, 1}),
            Map.entry(BINLOG, new int[]{2, Integer.MAX_VALUE}),
            Map.entry("start-relay", new int[]{1, 1}),
            Map.entry("stop-relay", new int[]{1, 1}),
            Map.entry(SHARD_DDL_LOCK, new int[]{0, 2}));
    private static final List<String> VERBS = List.of(IMPORT, QUERY_STATUS, HELP, "operate-source", "check-task",
            START_TASK, "pause-task", "resume-task", "stop-task", "encrypt", BINLOG, VERIFY, CONFIG, "start-relay",
            "stop-relay", PURGE_RELAY, SHARD_DDL_LOCK);
    private static final Set<String> JSON_VERBS = Set.of(QUERY_STATUS, "operate-source", "check-task", START_TASK,
            "pause-task", "resume-task", "stop-task", "encrypt", BINLOG, VERIFY, CONFIG, "start-relay", "stop-relay",
            PURGE_RELAY, SHARD_DDL_LOCK);

    /** a flag, and the verbs it belongs to (none: global) */
    private record Flag(String name, boolean takesValue, Set<String> verbs) {
        boolean fits(String verb) {
            return verbs.isEmpty() || verbs.contains(verb);
        }
    }

    private static final List<Flag> FLAGS = List.of(
            new Flag("master-addr", true, Set.of()),
            new Flag("token", true, Set.of()),
            new Flag("help", false, Set.of()),
            new Flag("config", true, Set.of(IMPORT)),
            new Flag("detach", false, Set.of(IMPORT)),
            new Flag("check", false, Set.of(IMPORT)),
            new Flag("json", false, JSON_VERBS),
            new Flag("remove-meta", false, Set.of(START_TASK)),
            new Flag("binlog-pos", true, Set.of(BINLOG)),
            new Flag("at", true, Set.of(VERIFY)),
            new Flag("lock", false, Set.of(VERIFY)),
            new Flag("chunk-rows", true, Set.of(VERIFY)),
            new Flag("timeout", true, Set.of(VERIFY)),
            new Flag("dir", true, Set.of(CONFIG)),
            new Flag("overwrite", false, Set.of(CONFIG)),
            new Flag("source", true, Set.of(PURGE_RELAY)),
            new Flag("filename", true, Set.of(PURGE_RELAY)));

    private Arguments() {
    }

    static Invocation parse(List<String> args, Map<String, String> env) throws UsageError {
        Map<Flag, String> flags = new LinkedHashMap<>();
        String verb = null;
        List<String> operands = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("-") && arg.length() > 1 && !arg.equals("--")) {
                String body = arg.startsWith("--") ? arg.substring(2) : arg.substring(1);
                int eq = body.indexOf('=');
                String name = eq < 0 ? body : body.substring(0, eq);
                Flag flag = flag(switch (name) {
                    case "h" -> "help";
                    case "b" -> "binlog-pos"; // dmctl's binlog -b
                    case "d" -> "dir"; // dmctl's config -d
                    case "s" -> "source"; // dmctl's purge-relay -s
                    default -> name;
                });
                String value;
                if (flag.takesValue()) {
                    if (eq >= 0) {
                        value = body.substring(eq + 1);
                    } else if (i + 1 < args.size()) {
                        value = args.get(++i);
                    } else {
                        throw new UsageError("--" + flag.name() + " needs a value: --" + flag.name() + " "
                                + placeholder(flag));
                    }
                } else if (eq >= 0) {
                    throw new UsageError("--" + flag.name() + " takes no value: write --" + flag.name() + " alone");
                } else {
                    value = "";
                }
                if (flags.put(flag, value) != null && flag.takesValue()) {
                    throw new UsageError("--" + flag.name() + " is given twice: give it once");
                }
            } else if (verb == null) {
                verb = verb(arg);
            } else {
                operands.add(arg);
            }
        }
        if (flags.keySet().stream().anyMatch(f -> f.name().equals("help")) || HELP.equals(verb)) {
            return new Invocation.Help();
        }
        if (verb == null) {
            throw new UsageError("no command given: tidemark import --config FILE, or tidemark query-status");
        }
        for (Flag f : flags.keySet()) {
            if (!f.fits(verb)) {
                throw new UsageError("--" + f.name() + " is not an option of " + verb + "; " + String.join(", ",
                        f.verbs()) + " takes it");
            }
        }
        MasterAddr addr = addr(flags, env);
        return switch (verb) {
            case IMPORT -> importOf(addr, flags, operands);
            case QUERY_STATUS -> {
                if (operands.size() > 1) {
                    throw new UsageError("query-status takes at most one migration id, not " + operands.size()
                            + ": " + String.join(" ", operands));
                }
                yield new Invocation.QueryStatus(addr, operands.stream().findFirst(),
                        value(flags, "json").isPresent());
            }
            case VERIFY -> verify(addr, flags, operands);
            case CONFIG -> config(addr, flags, operands);
            case PURGE_RELAY -> purgeRelay(addr, flags, operands);
            default -> dm(addr, verb, flags, operands);
        };
    }

    private static Invocation verify(MasterAddr addr, Map<Flag, String> flags, List<String> operands)
            throws UsageError {
        if (operands.size() != 1) {
            throw new UsageError("verify needs one task name or migration id, not " + operands.size()
                    + (operands.isEmpty() ? "" : ": " + String.join(" ", operands))
                    + ": verify TASK|MIGRATION-ID [--at FILE:POS|now] [--lock]");
        }
        String at = value(flags, "at").orElse("now").strip();
        if (!at.equalsIgnoreCase("now") && !at.matches("[^\\s:]+:\\d+")) {
            throw new UsageError("--at '" + at + "' is neither now nor FILE:POS (e.g. mysql-bin.000004:1234)");
        }
        Integer chunkRows = null;
        Optional<String> rows = value(flags, "chunk-rows");
        if (rows.isPresent()) {
            try {
                chunkRows = Integer.parseInt(rows.get().strip());
            } catch (NumberFormatException e) {
                chunkRows = 0;
            }
            if (chunkRows < 1) {
                throw new UsageError("--chunk-rows '" + rows.get() + "' is not a number of rows of 1 or more");
            }
        }
        return new Invocation.Verify(addr, operands.getFirst(), at, value(flags, "lock").isPresent(), chunkRows,
                value(flags, "timeout").orElse(null), value(flags, "json").isPresent());
    }

    /** dmctl's form, -s SOURCE --filename FILE (the source-id may also be the one argument); operands: id, file */
    private static Invocation purgeRelay(MasterAddr addr, Map<Flag, String> flags, List<String> operands)
            throws UsageError {
        Optional<String> source = value(flags, "source");
        if (operands.size() > 1 || operands.size() == 1 && source.isPresent()) {
            throw new UsageError("purge-relay takes one source-id, given once: purge-relay -s SOURCE-ID --filename"
                    + " FILE");
        }
        String id = source.orElse(operands.isEmpty() ? null : operands.getFirst());
        if (id == null || id.isBlank()) {
            throw new UsageError("purge-relay needs the source-id: purge-relay -s SOURCE-ID --filename FILE");
        }
        String file = value(flags, "filename").orElse(null);
        if (file == null || file.isBlank()) {
            throw new UsageError("purge-relay needs the binlog file the relay is to keep from: --filename FILE"
                    + " (e.g. mysql-bin.000003)");
        }
        return new Invocation.Dm(addr, PURGE_RELAY, List.of(id, file), value(flags, "json").isPresent(), false,
                null);
    }

    private static Invocation config(MasterAddr addr, Map<Flag, String> flags, List<String> operands)
            throws UsageError {
        List<String> actions = List.of("export", "import");
        String action = operands.isEmpty() ? null : operands.getFirst();
        if (action == null || !actions.contains(action)) {
            throw new UsageError("config needs an action: export [-d DIR] or import [-d DIR] [--overwrite]"
                    + (action == null ? "" : NearestName.of(action, actions).map(n -> "; did you mean '" + n + "'?")
                    .orElse("")));
        }
        if (operands.size() > 1) {
            throw new UsageError("config " + action + " takes no argument '" + operands.get(1)
                    + "': name the directory with -d " + operands.get(1));
        }
        boolean overwrite = value(flags, "overwrite").isPresent();
        if (overwrite && action.equals("export")) {
            throw new UsageError("--overwrite is an option of config import: an export replaces the files it writes");
        }
        String dir = value(flags, "dir").orElse("configs");
        if (dir.isBlank()) {
            throw new UsageError("-d needs a directory: config " + action + " -d DIR");
        }
        return new Invocation.Config(addr, action.equals("export"), Path.of(dir), overwrite,
                value(flags, "json").isPresent());
    }

    private static Invocation importOf(MasterAddr addr, Map<Flag, String> flags, List<String> operands)
            throws UsageError {
        String config = value(flags, "config").orElse(null);
        if (!operands.isEmpty()) {
            throw new UsageError("import takes no argument '" + operands.getFirst() + "': name the file with --config "
                    + (config == null ? operands.getFirst() : "once"));
        }
        if (config == null || config.isBlank()) {
            throw new UsageError("import needs the TiDB Lightning file: tidemark import --config FILE");
        }
        boolean detach = value(flags, "detach").isPresent();
        boolean check = value(flags, "check").isPresent();
        if (detach && check) {
            throw new UsageError("--check creates nothing, so there is nothing to --detach from: give one of them");
        }
        return new Invocation.Import(addr, Path.of(config), detach, check);
    }

    private static Invocation dm(MasterAddr addr, String verb, Map<Flag, String> flags, List<String> operands)
            throws UsageError {
        int[] arity = DM_VERBS.get(verb);
        if (verb.equals("operate-source")) {
            String action = operands.isEmpty() ? null : operands.getFirst();
            List<String> actions = List.of("create", "update", "stop", "show");
            if (action == null || !actions.contains(action)) {
                throw new UsageError("operate-source needs an action: create FILE, update FILE, stop FILE|ID or"
                        + " show [ID]" + (action == null ? "" : NearestName.of(action, actions)
                        .map(n -> "; did you mean '" + n + "'?").orElse("")));
            }
            arity = action.equals("show") ? new int[]{1, 2} : new int[]{2, 2};
        }
        if (verb.equals(BINLOG)) {
            String action = operands.isEmpty() ? null : operands.getFirst();
            List<String> actions = List.of("skip", "replace", "inject", "list");
            if (action == null || !actions.contains(action)) {
                throw new UsageError("binlog needs an action: skip TASK|MIGRATION-ID, replace|inject TASK|MIGRATION-ID"
                        + " SQL..., or list TASK|MIGRATION-ID" + (action == null ? "" : NearestName.of(action, actions)
                        .map(n -> "; did you mean '" + n + "'?").orElse("")));
            }
            arity = action.equals("skip") || action.equals("list") ? new int[]{2, 2}
                    : new int[]{3, Integer.MAX_VALUE};
        }
        if (verb.equals(SHARD_DDL_LOCK) && (operands.size() == 2) != "unlock".equals(operands.isEmpty() ? null
                : operands.getFirst())) {
            throw new UsageError("shard-ddl-lock takes a task's name (or nothing, for every lock), or unlock and the"
                    + " lock's id: shard-ddl-lock [TASK] | shard-ddl-lock unlock LOCK-ID");
        }
        if (operands.size() < arity[0] || operands.size() > arity[1]) {
            throw new UsageError(verb + (operands.size() < arity[0] ? " needs " : " takes only ") + switch (verb) {
                case "operate-source" -> "the action and one file or source-id: operate-source "
                        + operands.getFirst() + (operands.getFirst().equals("stop") ? " FILE|ID" : " FILE");
                case "check-task", START_TASK -> "the DM task file: " + verb + " FILE";
                case "encrypt" -> "the password to seal: encrypt PLAINTEXT";
                case "start-relay", "stop-relay" -> "the source-id: " + verb + " SOURCE-ID";
                case BINLOG -> switch (operands.getFirst()) {
                    case "skip" -> "the task or migration and no SQL: binlog skip TASK|MIGRATION-ID [-b FILE:POS]";
                    case "list" -> "the task or migration: binlog list TASK|MIGRATION-ID";
                    default -> "the task or migration and the SQL to run " + (operands.getFirst().equals("replace")
                            ? "instead" : "before the event") + ": binlog " + operands.getFirst()
                            + " TASK|MIGRATION-ID SQL...";
                };
                default -> "the task's name: " + verb + " TASK";
            });
        }
        return new Invocation.Dm(addr, verb, List.copyOf(operands), value(flags, "json").isPresent(),
                value(flags, "remove-meta").isPresent(), value(flags, "binlog-pos").orElse(null));
    }

    private static MasterAddr addr(Map<Flag, String> flags, Map<String, String> env) throws UsageError {
        return address(flags, env).withToken(token(flags, env));
    }

    private static MasterAddr address(Map<Flag, String> flags, Map<String, String> env) throws UsageError {
        Optional<String> given = value(flags, "master-addr");
        if (given.isPresent()) {
            return MasterAddr.parse(given.get(), "--master-addr");
        }
        String fromEnv = env.get(MasterAddr.ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return MasterAddr.parse(fromEnv, MasterAddr.ENV);
        }
        return MasterAddr.parse(MasterAddr.DEFAULT, "the default");
    }

    /**
     * The API token, first found of: {@code --token}, {@code $TIDEMARK_TOKEN}, the file {@code $TIDEMARK_TOKEN_FILE}
     * (which must then be readable), the standalone's {@code .tidemark/api-token} in this directory,
     * {@code ~/.tidemark/api-token}; null when none (the coordinator's 401 then says how to give one).
     */
    private static String token(Map<Flag, String> flags, Map<String, String> env) throws UsageError {
        Optional<String> given = value(flags, "token");
        if (given.isPresent() && !given.get().isBlank()) {
            return given.get().strip();
        }
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        String file = env.get(TOKEN_FILE_ENV);
        if (file != null && !file.isBlank()) {
            try {
                return Files.readString(Path.of(file)).strip();
            } catch (IOException | RuntimeException e) {
                throw new UsageError(TOKEN_FILE_ENV + " names " + file + ", which cannot be read (" + e.getMessage()
                        + "): point it at the coordinator's tidemark.api.token-file, or give the token in "
                        + TOKEN_ENV);
            }
        }
        List<Path> defaults = new ArrayList<>(List.of(Path.of(".tidemark",
                "api-token")));
        String home = env.get("HOME");
        if (home != null && !home.isBlank()) {
            defaults.add(Path.of(home, ".tidemark", "api-token"));
        }
        for (Path candidate : defaults) {
            try {
                if (Files.isReadable(candidate)) {
                    return Files.readString(candidate).strip();
                }
            } catch (IOException e) {
                // the next place, or none
            }
        }
        return null;
    }

    private static Optional<String> value(Map<Flag, String> flags, String name) {
        return flags.entrySet().stream().filter(e -> e.getKey().name().equals(name)).map(Map.Entry::getValue)
                .findFirst();
    }

    private static Flag flag(String name) throws UsageError {
        for (Flag f : FLAGS) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        List<String> names = FLAGS.stream().map(Flag::name).toList();
        throw new UsageError("unknown flag --" + name + NearestName.of(name, names)
                .map(n -> ": did you mean --" + n + "?").orElse(": the flags are --" + String.join(", --", names)));
    }

    private static String verb(String arg) throws UsageError {
        if (VERBS.contains(arg)) {
            return arg;
        }
        throw new UsageError("unknown command '" + arg + "'" + NearestName.of(arg, VERBS)
                .map(n -> ": did you mean '" + n + "'?").orElse(": the commands are " + String.join(", ", VERBS)));
    }

    private static String placeholder(Flag flag) {
        return switch (flag.name()) {
            case "master-addr" -> "HOST:PORT";
            case "token" -> "TOKEN";
            case "binlog-pos", "at" -> "FILE:POS";
            case "chunk-rows" -> "N";
            case "dir" -> "DIR";
            case "timeout" -> "DURATION";
            default -> "FILE";
        };
    }
}

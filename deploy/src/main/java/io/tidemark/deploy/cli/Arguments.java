package io.tidemark.deploy.cli;

import io.tidemark.coordinator.config.NearestName;

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
                   tidemark [--master-addr HOST:PORT] query-status [MIGRATION-ID]

              import          imports the files a TiDB Lightning configuration file points at into its target, and
                              waits: progress lines, then each table's rows and "the whole procedure completed"
                --config      the TiDB Lightning file (TOML), sent to the coordinator as it is
                --detach      return once the import is accepted, printing its id
                --check       check the file, its files and its target and show what would be imported; creates nothing
              query-status    without an id: every migration (id, name, mode, phase); with one: its detail

              --master-addr   the coordinator's REST address (default: $TIDEMARK_MASTER_ADDR, else 127.0.0.1:8080)

            exit status: 0 done; 1 the import failed; 2 nothing started (usage, or the coordinator refused the file);
                         3 the coordinator cannot be reached
            """;

    private static final String IMPORT = "import";
    private static final String QUERY_STATUS = "query-status";
    private static final String HELP = "help";
    private static final List<String> VERBS = List.of(IMPORT, QUERY_STATUS, HELP);

    /** a flag, and the verbs it belongs to (none: global) */
    private record Flag(String name, boolean takesValue, Set<String> verbs) {
        boolean fits(String verb) {
            return verbs.isEmpty() || verbs.contains(verb);
        }
    }

    private static final List<Flag> FLAGS = List.of(
            new Flag("master-addr", true, Set.of()),
            new Flag("help", false, Set.of()),
            new Flag("config", true, Set.of(IMPORT)),
            new Flag("detach", false, Set.of(IMPORT)),
            new Flag("check", false, Set.of(IMPORT)));

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
                Flag flag = flag(name.equals("h") ? "help" : name);
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
                yield new Invocation.QueryStatus(addr, operands.stream().findFirst());
            }
            default -> throw new IllegalStateException("verb " + verb);
        };
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

    private static MasterAddr addr(Map<Flag, String> flags, Map<String, String> env) throws UsageError {
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
                .map(n -> ": did you mean '" + n + "'?").orElse(": the commands are import and query-status"));
    }

    private static String placeholder(Flag flag) {
        return flag.name().equals("master-addr") ? "HOST:PORT" : "FILE";
    }
}

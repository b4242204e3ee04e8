package io.tidemark.deploy.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code tidemark} command-line client of the coordinator's REST API, in the spirit of TiDB's tools: dmctl's
 * global flags before the verb ({@code tidemark --master-addr 127.0.0.1:8080 query-status}) and tidb-lightning's
 * waiting import that ends in "the whole procedure completed". Exit statuses: {@link Exit}. Run by
 * {@code deploy/tidemark}.
 */
public final class Tidemark {
    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final Settings settings;
    private final AtomicReference<String> watching = new AtomicReference<>();

    Tidemark(Map<String, String> env, PrintStream out, PrintStream err, Settings settings) {
        this.env = env;
        this.out = out;
        this.err = err;
        this.settings = settings;
    }

    public static void main(String[] args) {
        Tidemark tidemark = new Tidemark(System.getenv(), System.out, System.err, Settings.DEFAULT);
        // Ctrl-C while waiting: the import goes on on the platform, and the user learns how to look at it again
        Runtime.getRuntime().addShutdownHook(new Thread(tidemark::interrupted, "tidemark-interrupt"));
        int status = tidemark.run(args);
        System.out.flush();
        System.exit(status);
    }

    int run(String... args) {
        Invocation invocation;
        try {
            invocation = Arguments.parse(Arrays.asList(args), env);
        } catch (UsageError e) {
            err.println("tidemark: " + e.getMessage());
            err.println();
            err.print(Arguments.USAGE);
            return Exit.REFUSED.status();
        }
        try {
            return switch (invocation) {
                case Invocation.Help h -> {
                    out.print(Arguments.USAGE);
                    yield Exit.OK.status();
                }
                case Invocation.Import i -> new ImportCommand(new CoordinatorApi(i.addr(), settings), out, err, settings,
                        watching).run(i).status();
                case Invocation.Dm d -> new DmCommand(new CoordinatorApi(d.addr(), settings), out, err).run(d)
                        .status();
                case Invocation.Config c -> new ConfigCommand(new CoordinatorApi(c.addr(), settings), out, err).run(c)
                        .status();
                case Invocation.Verify v -> new VerifyCommand(new CoordinatorApi(v.addr(), settings), out, err)
                        .run(v).status();
                case Invocation.QueryStatus q -> new StatusCommand(new CoordinatorApi(q.addr(), settings), out, err).run(q)
                        .status();
            };
        } catch (Unreachable e) {
            err.println("tidemark: " + e.line());
            return Exit.UNREACHABLE.status();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** what an interrupt prints while an import is being waited on; nothing otherwise */
    private void interrupted() {
        String hint = watching.get();
        if (hint != null) {
            out.println();
            out.println("interrupted: " + hint);
            out.flush();
        }
    }
}

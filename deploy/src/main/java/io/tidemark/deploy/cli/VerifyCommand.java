package io.tidemark.deploy.cli;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tidemark verify}: the cut-over check sync-diff-inspector does for DM users. A task's name verifies each of
 * its migrations, a migration id that one. Prints per table ok or different and each differing chunk's key range with
 * both sides' rows and checksums ({@code --json}: the coordinator's reports). Exit: 0 every table equal, 1 a
 * difference or a comparison the coordinator could not finish, 2 refused (not replicating, a bad option, an unknown
 * name), 3 the coordinator unreachable — {@link Exit}.
 */
final class VerifyCommand {
    /** what a comparison itself may take beyond the catch-up waits, before the client stops waiting for the answer */
    private static final Duration COMPARISON_ALLOWANCE = Duration.ofHours(6);
    private static final Duration DEFAULT_CATCH_UP = Duration.ofMinutes(5);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CoordinatorApi api;
    private final PrintStream out;
    private final PrintStream err;

    VerifyCommand(CoordinatorApi api, PrintStream out, PrintStream err) {
        this.api = api;
        this.out = out;
        this.err = err;
    }

    Exit run(Invocation.Verify v) throws Unreachable, InterruptedException {
        List<String> migrations = new ArrayList<>();
        CoordinatorApi.Answer task = api.call("GET", "/api/v1/tasks/" + CoordinatorApi.segment(v.target()), null,
                null);
        if (task.ok()) {
            task.json().path("instances").forEach(i -> migrations.add(Fields.text(i, "migrationId")));
        } else {
            migrations.add(v.target());
        }
        Exit worst = Exit.OK;
        ArrayNode reports = JSON.createArrayNode();
        for (String migration : migrations) {
            CoordinatorApi.Answer a = api.verify(migration, query(v), wait(v.timeout()));
            Exit exit;
            if (!a.ok()) {
                if (v.json()) {
                    reports.add(a.json());
                } else {
                    err.print("migration " + migration + ": ");
                    ApiText.refusal(err, null, a.json());
                }
                exit = a.status() >= 500 ? Exit.FAILED : Exit.REFUSED;
            } else {
                if (v.json()) {
                    reports.add(a.json());
                } else {
                    print(a.json());
                }
                exit = Fields.isTrue(a.json(), "equal") ? Exit.OK : Exit.FAILED;
            }
            worst = worse(worst, exit);
        }
        if (v.json()) {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    reports.size() == 1 ? reports.get(0) : reports));
        }
        return worst;
    }

    private void print(JsonNode report) {
        out.println("migration " + Fields.text(report, "migration") + " verified at source position "
                + Fields.text(report, "position") + (Fields.isTrue(report, "locked")
                ? " (source tables read-locked)" : " (source not locked: differing chunks were compared again)"));
        Table t = new Table("TABLE", "TARGET", "CHUNKS", "RESULT");
        int different = 0;
        int tables = 0;
        for (JsonNode table : report.path("tables")) {
            tables++;
            boolean equal = Fields.isTrue(table, "equal");
            if (!equal) {
                different++;
            }
            t.row(name(table.path("source")), name(table.path("target")), Fields.text(table, "chunks"),
                    equal ? "ok" : "different");
        }
        t.print(out, "");
        for (JsonNode table : report.path("tables")) {
            String problem = Fields.text(table, "problem");
            if (problem != null) {
                out.println(name(table.path("source")) + ": " + problem);
            }
            for (JsonNode d : table.path("differences")) {
                out.println(name(table.path("source")) + " chunk " + Fields.text(d, "range") + ": source "
                        + Fields.text(d, "sourceRows") + " rows, checksum " + Fields.text(d, "sourceChecksum")
                        + "; target " + Fields.text(d, "targetRows") + " rows, checksum "
                        + Fields.text(d, "targetChecksum"));
            }
        }
        out.println(different == 0 ? "all " + tables + " tables equal"
                : different + " of " + tables + " tables differ");
    }

    private static String name(JsonNode table) {
        return Fields.text(table, "schema") + "." + Fields.text(table, "table");
    }

    private static String query(Invocation.Verify v) {
        StringBuilder q = new StringBuilder("at=").append(encode(v.at())).append("&lock=").append(v.lock());
        if (v.chunkRows() != null) {
            q.append("&chunkRows=").append(v.chunkRows());
        }
        if (v.timeout() != null) {
            q.append("&timeout=").append(encode(v.timeout()));
        }
        return q.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** twice the catch-up timeout (the first wait and the re-check's) plus the comparison's allowance */
    private static Duration wait(String timeout) {
        Duration catchUp = DEFAULT_CATCH_UP;
        if (timeout != null) {
            Matcher m = SIMPLE_DURATION.matcher(timeout.strip().toLowerCase(Locale.ROOT));
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                catchUp = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
        }
        return catchUp.multipliedBy(2).plus(COMPARISON_ALLOWANCE);
    }

    private static Exit worse(Exit a, Exit b) {
        return a.status() >= b.status() ? a : b;
    }
}

package io.tidemark.common.command;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One binlog event filter rule, as DM's ({@code filters} in a task file): which source schemas and tables it covers,
 * which events and statement texts it matches, and what happens to them. Validated on construction (event names,
 * regular expressions), so a task never carries a rule that cannot be evaluated; evaluated by
 * {@link io.tidemark.common.table.BinlogEventFilter}.
 *
 * @param schemaPattern source schemas, with the wildcards {@code *} and {@code ?}
 * @param tablePattern  source tables, the same way; null or empty: the schema's own statements and every table in it
 * @param events        DM's event names ({@link io.tidemark.common.table.BinlogEventFilter#EVENTS})
 * @param sqlPattern    regular expressions on a DDL's text, case-insensitive; any of them matching counts
 * @param action        what a matching event gets
 */
public record BinlogFilterRule(String schemaPattern, String tablePattern, List<String> events, List<String> sqlPattern,
                               Action action) {
    public BinlogFilterRule {
        if (schemaPattern == null || schemaPattern.isBlank()) {
            throw new IllegalArgumentException("schemaPattern is missing; give the source schemas the rule covers,"
                    + " e.g. \"shop*\"");
        }
        Objects.requireNonNull(action, "action");
        tablePattern = tablePattern == null || tablePattern.isEmpty() ? null : tablePattern;
        events = events == null ? List.of() : events;
        sqlPattern = sqlPattern == null ? List.of() : sqlPattern;
        io.tidemark.common.table.BinlogEventFilter.check(events, sqlPattern);
        events = List.copyOf(events);
        sqlPattern = List.copyOf(sqlPattern);
    }

    /** DM's actions, written as DM writes them */
    public enum Action {
        /** skip what matches */
        IGNORE("Ignore"),
        /** apply only what matches: what the rule covers but does not match is skipped */
        DO("Do"),
        /** stop replication on what matches */
        ERROR("Error");

        private final String code;

        Action(String code) {
            this.code = code;
        }

        @JsonValue
        public String code() {
            return code;
        }

        /** DM's spelling; case does not matter */
        public static Action of(String text) {
            return Arrays.stream(values()).filter(a -> a.code.equalsIgnoreCase(text == null ? "" : text.strip()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("action "
                            + (text == null ? "is missing" : "'" + text + "' is not one of Ignore, Do, Error")
                            + "; use Ignore to skip what the rule matches, Do to apply only that, Error to stop on it"));
        }

        @Override
        public String toString() {
            return code.toLowerCase(Locale.ROOT);
        }
    }
}

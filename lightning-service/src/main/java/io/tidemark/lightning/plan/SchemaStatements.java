package io.tidemark.lightning.plan;

import java.util.regex.Pattern;

/**
 * Makes Dumpling's schema statements safe to run twice: a re-planned import (redelivered request, new epoch)
 * finds its databases and tables already there and goes on, as Lightning does with existing tables.
 */
final class SchemaStatements {
    private static final Pattern CREATE_DATABASE = Pattern.compile(
            "^(CREATE\\s+(?:DATABASE|SCHEMA)\\s+)(?!IF\\s+NOT\\s+EXISTS\\b)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "^(CREATE\\s+TABLE\\s+)(?!IF\\s+NOT\\s+EXISTS\\b)", Pattern.CASE_INSENSITIVE);

    private SchemaStatements() {
    }

    static String idempotent(String sql) {
        String s = CREATE_DATABASE.matcher(sql).replaceFirst("$1IF NOT EXISTS ");
        return CREATE_TABLE.matcher(s).replaceFirst("$1IF NOT EXISTS ");
    }
}

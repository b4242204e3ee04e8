package io.tidemark.lightning.plan;

import io.tidemark.lightning.sql.Parentheses;
import io.tidemark.lightning.sql.SqlNames;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dumpling's schema statements as the planner runs them. Safe to run twice: a re-planned import (redelivered request,
 * new epoch) finds its databases and tables already there and goes on, as Lightning does with existing tables. And
 * renamed for a route: a routed table is created under its target name, in its target database, as Lightning's
 * {@code [[routes]]} create it. Statements are in the session view ({@link io.tidemark.lightning.target.SessionText});
 * a name put in must be too.
 */
final class SchemaStatements {
    private static final Pattern CREATE_DATABASE = Pattern.compile(
            "^(CREATE\\s+(?:DATABASE|SCHEMA)\\s+)(?!IF\\s+NOT\\s+EXISTS\\b)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_TABLE = Pattern.compile(
            "^(CREATE\\s+TABLE\\s+)(?!IF\\s+NOT\\s+EXISTS\\b)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DATABASE_NAME = Pattern.compile(
            "^(CREATE\\s+(?:DATABASE|SCHEMA)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)" + SqlNames.NAME,
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TABLE_NAME = Pattern.compile(
            "^(CREATE\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?)" + SqlNames.QUALIFIED_NAME, Pattern.CASE_INSENSITIVE);

    private SchemaStatements() {
    }

    static String idempotent(String sql) {
        String s = CREATE_DATABASE.matcher(sql).replaceFirst("$1IF NOT EXISTS ");
        return CREATE_TABLE.matcher(s).replaceFirst("$1IF NOT EXISTS ");
    }

    /**
     * A CREATE DATABASE of the file creating {@code quotedSchema} instead, its options (character set, collation)
     * kept; any other statement as it is.
     */
    static String creatingDatabase(String sql, String quotedSchema) {
        return replaceName(DATABASE_NAME.matcher(sql), quotedSchema, sql);
    }

    /**
     * A CREATE TABLE of the file creating {@code quotedTable} instead (unqualified: the session's USE names its
     * database), its definition kept; any other statement as it is.
     */
    static String creatingTable(String sql, String quotedTable) {
        return replaceName(TABLE_NAME.matcher(sql), quotedTable, sql);
    }

    /**
     * A CREATE TABLE of the file with the columns a route fills (DM's extract-*, quoted, in the session view) added
     * after its own definitions, as text that holds any name a route gives: {@code VARCHAR(255) NOT NULL DEFAULT ''};
     * any other statement as it is.
     */
    static String addingColumns(String sql, List<String> quotedColumns) {
        if (!TABLE_NAME.matcher(sql).lookingAt()) {
            return sql;
        }
        int close = Parentheses.closing(sql, 0); // -1: no definitions (CREATE ... LIKE)
        if (close < 0) {
            return sql;
        }
        StringBuilder added = new StringBuilder();
        for (String column : quotedColumns) {
            added.append(",\n  ").append(column).append(" VARCHAR(255) NOT NULL DEFAULT ''");
        }
        return sql.substring(0, close) + added + sql.substring(close);
    }

    private static String replaceName(Matcher m, String name, String sql) {
        return m.lookingAt() ? m.group(1) + name + sql.substring(m.end()) : sql;
    }
}

package io.tidemark.lightning.sql;

/**
 * How a dump's statements spell a database or table name, as regular expressions over the session view
 * ({@link io.tidemark.lightning.target.SessionText}), where each byte of a UTF-8 name is one char 0x80..0xFF.
 */
public final class SqlNames {
    /** a quoted ({@code `a``b`}) or bare identifier */
    public static final String NAME = "(?:`(?:[^`]|``)+`|[\\w$\\x80-\\xff]+)";
    /** a table name, maybe qualified by its database: {@code `db`.`t`}, {@code db . t}, {@code t} */
    public static final String QUALIFIED_NAME = NAME + "(?:\\s*\\.\\s*" + NAME + ")?";

    private SqlNames() {
    }
}

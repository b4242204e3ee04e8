package io.tidemark.coordinator.config.lightning;

/**
 * Where something is in a TOML file, 1-based as editors count; {@link #UNKNOWN} for a key the file does not have
 * (a default) or a record made in code.
 */
public record Position(int line, int column) {
    public static final Position UNKNOWN = new Position(0, 0);

    public boolean known() {
        return line > 0;
    }

    /** {@code line 6} or {@code line 6, column 21}, for messages */
    public String describe() {
        if (!known()) {
            return "not in the file";
        }
        return column > 0 ? "line " + line + ", column " + column : "line " + line;
    }
}

package io.tidemark.lightning.sql;

/** Parentheses in SQL text as the server reads them: those inside quotes and backquotes do not count. */
public final class Parentheses {
    private Parentheses() {
    }

    /**
     * The index of the parenthesis closing the first one opened at or after {@code from}; -1 when none opens or it is
     * never closed. Inside {@code '…'} and {@code "…"} a backslash escapes the next character; inside backquotes not.
     */
    public static int closing(String sql, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < sql.length(); i++) {
            char ch = sql.charAt(i);
            if (quote != 0) {
                if (ch == '\\' && quote != '`') {
                    i++;
                } else if (ch == quote) {
                    quote = 0;
                }
            } else if (ch == '\'' || ch == '"' || ch == '`') {
                quote = ch;
            } else if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}

package io.tidemark.mysql.column;

import java.util.ArrayList;
import java.util.List;

/** Reading {@code information_schema.COLUMNS.COLUMN_TYPE} the way every server prints it. */
public final class ColumnTypes {
    private ColumnTypes() {
    }

    /**
     * The members of an ENUM or SET in declaration order: {@code set('a','b''c')} → [a, b'c]; a backslash escapes
     * the next character. Empty for a type without a member list.
     */
    public static List<String> members(String columnType) {
        int open = columnType.indexOf('(');
        int close = columnType.lastIndexOf(')');
        List<String> out = new ArrayList<>();
        if (open < 0 || close < open) {
            return out;
        }
        String body = columnType.substring(open + 1, close);
        StringBuilder cur = null;
        for (int i = 0; i < body.length(); i++) {
            char ch = body.charAt(i);
            if (cur == null) {
                if (ch == '\'') {
                    cur = new StringBuilder();
                }
            } else if (ch == '\'') {
                if (i + 1 < body.length() && body.charAt(i + 1) == '\'') {
                    cur.append('\'');
                    i++;
                } else {
                    out.add(cur.toString());
                    cur = null;
                }
            } else if (ch == '\\' && i + 1 < body.length()) {
                cur.append(body.charAt(++i));
            } else {
                cur.append(ch);
            }
        }
        return out;
    }
}

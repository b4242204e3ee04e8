package io.tidemark.coordinator.config.lightning;

import org.tomlj.TomlParseError;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the TOML parser says about a file that does not parse into problems a user can act on: the line and
 * column, the key on that line, what the parser expected, and — for the two mistakes the seed's own files invite — the
 * fix: a placeholder written without quotes ({@code host = ${host}}) and a string left open
 * ({@code user = "${user_name}}).
 */
final class ParseErrors {
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[\\[?\\s*([^\\]]+?)\\s*]]?\\s*(#.*)?$");
    private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z0-9_.\\-\"' ]+?)\\s*=");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}\\s]*}");

    private ParseErrors() {
    }

    static List<Problem> of(List<TomlParseError> errors, String toml, String file) {
        String[] lines = toml.split("\\R", -1);
        return errors.stream().map(e -> problem(e, lines, file)).toList();
    }

    private static Problem problem(TomlParseError error, String[] lines, String file) {
        int line = error.position() == null ? 0 : error.position().line();
        int column = error.position() == null ? 0 : error.position().column();
        String text = line >= 1 && line <= lines.length ? lines[line - 1] : "";
        String key = keyOn(lines, line);
        String what = "does not parse as TOML: " + error.getMessage().replaceFirst(" \\(line \\d+, column \\d+\\)$", "");
        return new Problem(file, key, new Position(line, column), null, what, fix(error.getMessage(), text));
    }

    /** the full TOML path of the key on that line, from the last table header above it; the section if none */
    private static String keyOn(String[] lines, int line) {
        String section = "";
        for (int i = 0; i < Math.min(line - 1, lines.length); i++) {
            Matcher h = HEADER.matcher(lines[i]);
            if (h.matches()) {
                section = h.group(1).replaceAll("\\s", "");
            }
        }
        if (line < 1 || line > lines.length) {
            return section;
        }
        Matcher k = KEY.matcher(lines[line - 1]);
        if (!k.find()) {
            return section;
        }
        String key = k.group(1).strip().replace("\"", "").replace("'", "");
        return section.isEmpty() ? key : section + "." + key;
    }

    private static String fix(String message, String text) {
        Matcher placeholder = PLACEHOLDER.matcher(text);
        boolean openString = message.startsWith("Unexpected end of line") && unclosedQuote(text);
        if (openString) {
            String seedLine = text.strip().matches("user\\s*=\\s*\"\\$\\{user_name}") ? " (the seed's own"
                    + " `user = \"${user_name}` line lacks it)" : "";
            return "close the string with the same quote it opens with, on the same line" + seedLine
                    + (placeholder.find() ? ", and replace the seed's placeholder " + placeholder.group()
                    + " with the real value" : "");
        }
        if (placeholder.find()) {
            return "the seed's placeholder " + placeholder.group() + " is not a TOML value: replace it with the real"
                    + " value — text in quotes (host = \"10.0.1.5\", pd-addr = \"10.0.1.6:2379\"), a number without"
                    + " them (port = 4000)";
        }
        return "correct the line as the parser expects; strings go in quotes, numbers and true/false without";
    }

    /** whether the line opens a "…" or '…' string it does not close, comments aside */
    private static boolean unclosedQuote(String text) {
        char open = 0;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (open == 0) {
                if (ch == '#') {
                    return false;
                }
                if (ch == '"' || ch == '\'') {
                    open = ch;
                }
            } else if (ch == '\\' && open == '"') {
                i++;
            } else if (ch == open) {
                open = 0;
            }
        }
        return open != 0;
    }
}

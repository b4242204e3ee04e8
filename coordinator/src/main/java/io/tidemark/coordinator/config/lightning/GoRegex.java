package io.tidemark.coordinator.config.lightning;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * TiDB Lightning compiles {@code [[mydumper.files]] pattern} with Go's RE2 syntax; Java's is nearly the same. This
 * bridges the differences a Lightning user may write — {@code (?P<name>…)} groups and {@code [[:alpha:]]} classes —
 * and refuses the one that would silently change meaning: Go's {@code U} flag (ungreedy) is Java's Unicode flag.
 */
final class GoRegex {
    private static final Pattern FLAGS = Pattern.compile("(?<!\\\\)\\(\\?([a-zA-Z-]+)[:)]");
    private static final Pattern POSIX_CLASS = Pattern.compile("\\[:(\\^?)([a-z]+):]");
    private static final Map<String, String> POSIX = Map.ofEntries(
            Map.entry("alpha", "Alpha"), Map.entry("digit", "Digit"), Map.entry("alnum", "Alnum"),
            Map.entry("upper", "Upper"), Map.entry("lower", "Lower"), Map.entry("punct", "Punct"),
            Map.entry("xdigit", "XDigit"), Map.entry("print", "Print"), Map.entry("graph", "Graph"),
            Map.entry("cntrl", "Cntrl"), Map.entry("blank", "Blank"), Map.entry("ascii", "ASCII"),
            Map.entry("space", "Space"), Map.entry("word", "Alnum"));

    private GoRegex() {
    }

    /** compiles a Go regular expression as Java; the exception's description says what is wrong and where */
    static Pattern compile(String go) {
        Matcher flags = FLAGS.matcher(go);
        while (flags.find()) {
            if (flags.group(1).contains("U")) {
                throw new PatternSyntaxException("Go's flag U (ungreedy) has no Java equivalent; write the"
                        + " quantifiers lazy instead (*? +? ??)", go, flags.start());
            }
        }
        String java = go.replace("(?P<", "(?<");
        Matcher posix = POSIX_CLASS.matcher(java);
        StringBuilder out = new StringBuilder();
        while (posix.find()) {
            String name = POSIX.get(posix.group(2));
            if (name == null) {
                throw new PatternSyntaxException("unknown character class [:" + posix.group(2) + ":]", go,
                        posix.start());
            }
            String cls = posix.group(2).equals("word") ? (posix.group(1).isEmpty() ? "\\w" : "\\W")
                    : (posix.group(1).isEmpty() ? "\\p{" : "\\P{") + name + "}";
            posix.appendReplacement(out, Matcher.quoteReplacement(cls));
        }
        posix.appendTail(out);
        return Pattern.compile(out.toString());
    }
}

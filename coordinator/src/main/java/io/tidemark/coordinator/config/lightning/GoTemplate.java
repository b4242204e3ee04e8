package io.tidemark.coordinator.config.lightning;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * A {@code [[mydumper.files]]} template ({@code schema = '$1'}), expanded as Go's {@code Regexp.ExpandString} does,
 * which is what TiDB Lightning uses: {@code $1} and {@code ${1}} are groups by number, {@code $name} and
 * {@code ${name}} by name, {@code $$} is a dollar; a name runs as far as letters, digits and underscores go, so
 * {@code $1x} means the group named {@code 1x}, not group 1 then x; a {@code $} that starts no reference is text.
 */
final class GoTemplate {
    private sealed interface Part permits Text, Ref {
    }

    private record Text(String text) implements Part {
    }

    /** @param number the group number, or -1 for a name */
    private record Ref(String written, String name, int number) implements Part {
    }

    private final String template;
    private final List<Part> parts;

    private GoTemplate(String template, List<Part> parts) {
        this.template = template;
        this.parts = parts;
    }

    static GoTemplate parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char ch = template.charAt(i);
            if (ch != '$') {
                text.append(ch);
                i++;
                continue;
            }
            if (i + 1 < template.length() && template.charAt(i + 1) == '$') {
                text.append('$');
                i += 2;
                continue;
            }
            int end = reference(template, i);
            if (end < 0) {
                text.append('$'); // malformed: Go keeps the dollar as text
                i++;
                continue;
            }
            if (!text.isEmpty()) {
                parts.add(new Text(text.toString()));
                text.setLength(0);
            }
            String written = template.substring(i, end);
            String name = written.startsWith("${") ? written.substring(2, written.length() - 1) : written.substring(1);
            parts.add(new Ref(written, name, number(name)));
            i = end;
        }
        if (!text.isEmpty()) {
            parts.add(new Text(text.toString()));
        }
        return new GoTemplate(template, List.copyOf(parts));
    }

    /** where the reference starting at the dollar at {@code i} ends, or -1 when it is no reference */
    private static int reference(String t, int i) {
        int j = i + 1;
        boolean brace = j < t.length() && t.charAt(j) == '{';
        if (brace) {
            j++;
        }
        int start = j;
        while (j < t.length()) {
            int cp = t.codePointAt(j);
            if (!Character.isLetter(cp) && !Character.isDigit(cp) && cp != '_') {
                break;
            }
            j += Character.charCount(cp);
        }
        if (j == start) {
            return -1;
        }
        if (brace) {
            if (j >= t.length() || t.charAt(j) != '}') {
                return -1;
            }
            j++;
        }
        return j;
    }

    /** Go reads a name of ASCII digits as a group number (below 10^8); anything else names a group */
    private static int number(String name) {
        int n = 0;
        for (int k = 0; k < name.length(); k++) {
            char c = name.charAt(k);
            if (c < '0' || c > '9' || n >= 100_000_000) {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    boolean literal() {
        return parts.stream().noneMatch(p -> p instanceof Ref);
    }

    /** the literal text, for a template with no reference */
    String text() {
        return parts.stream().map(p -> ((Text) p).text()).reduce("", String::concat);
    }

    /**
     * the references that name no group of the pattern, as written ({@code $4}, {@code ${name}}): TiDB Lightning
     * refuses such a rule, and so does Tidemark
     */
    List<String> missingGroups(int groupCount, Map<String, Integer> namedGroups) {
        List<String> missing = new ArrayList<>();
        for (Part p : parts) {
            if (p instanceof Ref r && (r.number >= 0 ? r.number > groupCount : !namedGroups.containsKey(r.name))) {
                missing.add(r.written);
            }
        }
        return missing;
    }

    String expand(Matcher m) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            switch (p) {
                case Text t -> out.append(t.text);
                case Ref r -> {
                    String value = null;
                    if (r.number >= 0 && r.number <= m.groupCount()) {
                        value = m.group(r.number);
                    } else if (r.number < 0 && m.pattern().namedGroups().containsKey(r.name)) {
                        value = m.group(r.name);
                    }
                    out.append(value == null ? "" : value);
                }
            }
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return template;
    }
}

package io.tidemark.mysql.position;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GTID set in one of the two forms sources print, as a value: parsed and checked once, printed canonically, grown one
 * transaction at a time. The forms mean different things, and resuming relies on that: MySQL's (and Aurora MySQL's)
 * is every transaction executed ({@code uuid:1-5:7,uuid2:1-3}, {@code Executed_Gtid_Set}), so the source sends what is
 * not in it; MariaDB's is the last transaction per replication domain ({@code domain-server-sequence,...},
 * {@code @@gtid_binlog_pos}), so the source sends what follows it in each domain. Immutable.
 */
public sealed interface GtidSet permits GtidSet.Mysql, GtidSet.Mariadb {
    /** which server family's form a set is written in */
    enum Form {
        MYSQL("MySQL"), MARIADB("MariaDB");

        private final String label;

        Form(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    Form form();

    /** the set with one more transaction ended: MySQL {@code uuid:n}, MariaDB {@code domain-server-sequence} */
    GtidSet plus(String gtid);

    boolean isEmpty();

    /** the canonical text, as the server prints it (without MySQL's line breaks) */
    @Override
    String toString();

    /**
     * @param text a set as a server prints it; MySQL's line breaks after commas are allowed
     * @throws TidemarkException GTID_SET_INVALID naming what is wrong
     */
    static GtidSet parse(String text) {
        if (text == null || text.isBlank()) {
            throw new TidemarkException(ErrorCode.GTID_SET_INVALID, text == null ? "" : text, "it is empty");
        }
        String compact = text.replaceAll("\\s+", "");
        // a UUID without its intervals is a MySQL set missing them, not a malformed MariaDB one
        boolean mysql = compact.indexOf(':') >= 0 || compact.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-.*");
        return mysql ? Mysql.parse(text, compact) : Mariadb.parse(text, compact);
    }

    /** an empty set of the given form, the start of a tracker that knows the form but no transaction yet */
    static GtidSet empty(Form form) {
        return form == Form.MYSQL ? new Mysql(new TreeMap<>()) : new Mariadb(new TreeMap<>());
    }

    /** a closed interval of one server's transaction numbers; a MySQL set keeps them sorted, apart, not adjacent */
    record Interval(long start, long end) {
        public Interval {
            if (start < 1 || end < start) {
                throw new IllegalArgumentException("interval " + start + "-" + end);
            }
        }

        @Override
        public String toString() {
            return start == end ? Long.toString(start) : start + "-" + end;
        }
    }

    /** MySQL's executed set: per source server UUID, its transactions' intervals */
    record Mysql(SortedMap<String, List<Interval>> servers) implements GtidSet {
        private static final Pattern UUID = Pattern.compile(
                "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        private static final Pattern INTERVAL = Pattern.compile("(\\d{1,19})(?:-(\\d{1,19}))?");

        public Mysql {
            SortedMap<String, List<Interval>> copy = new TreeMap<>();
            servers.forEach((uuid, intervals) -> copy.put(uuid, List.copyOf(intervals)));
            servers = Collections.unmodifiableSortedMap(copy);
        }

        static Mysql parse(String text, String compact) {
            SortedMap<String, List<Interval>> servers = new TreeMap<>();
            for (String entry : compact.split(",", -1)) {
                String[] parts = entry.split(":", -1);
                String uuid = parts[0].toLowerCase(Locale.ROOT);
                if (!UUID.matcher(uuid).matches()) {
                    throw invalid(text, "'" + parts[0] + "' is not a server UUID (8-4-4-4-12 hexadecimal digits)");
                }
                if (parts.length < 2) {
                    throw invalid(text, "server " + uuid + " has no transaction interval (uuid:1-5)");
                }
                List<Interval> intervals = servers.computeIfAbsent(uuid, u -> new ArrayList<>());
                for (int i = 1; i < parts.length; i++) {
                    Matcher m = INTERVAL.matcher(parts[i]);
                    if (!m.matches()) {
                        throw invalid(text, "'" + parts[i] + "' after " + uuid + " is not an interval (N or N-M;"
                                + " tagged GTIDs of MySQL 8.4 are not supported)");
                    }
                    long start = Long.parseLong(m.group(1));
                    long end = m.group(2) == null ? start : Long.parseLong(m.group(2));
                    if (start < 1 || end < start) {
                        throw invalid(text, "interval " + parts[i] + " of " + uuid + " is empty or starts below 1");
                    }
                    intervals.add(new Interval(start, end));
                }
            }
            servers.replaceAll((uuid, intervals) -> merge(intervals));
            return new Mysql(servers);
        }

        @Override
        public Form form() {
            return Form.MYSQL;
        }

        @Override
        public Mysql plus(String gtid) {
            int colon = gtid.lastIndexOf(':');
            if (colon < 0) {
                throw invalid(gtid, "a MySQL GTID is uuid:sequence");
            }
            Mysql one = parse(gtid, gtid.strip());
            if (one.servers.size() != 1 || one.servers.values().iterator().next().size() != 1) {
                throw invalid(gtid, "not a single GTID");
            }
            SortedMap<String, List<Interval>> next = new TreeMap<>(servers);
            one.servers.forEach((uuid, added) -> {
                List<Interval> all = new ArrayList<>(next.getOrDefault(uuid, List.of()));
                all.addAll(added);
                next.put(uuid, merge(all));
            });
            return new Mysql(next);
        }

        @Override
        public boolean isEmpty() {
            return servers.isEmpty();
        }

        /** sorted, with overlapping and adjacent intervals joined, as MySQL prints them */
        private static List<Interval> merge(List<Interval> intervals) {
            List<Interval> sorted = new ArrayList<>(intervals);
            sorted.sort((a, b) -> Long.compare(a.start(), b.start()));
            List<Interval> out = new ArrayList<>();
            for (Interval i : sorted) {
                Interval last = out.isEmpty() ? null : out.getLast();
                if (last != null && i.start() <= last.end() + 1) {
                    out.set(out.size() - 1, new Interval(last.start(), Math.max(last.end(), i.end())));
                } else {
                    out.add(i);
                }
            }
            return out;
        }

        @Override
        public String toString() {
            List<String> entries = new ArrayList<>();
            servers.forEach((uuid, intervals) -> {
                StringBuilder b = new StringBuilder(uuid);
                intervals.forEach(i -> b.append(':').append(i));
                entries.add(b.toString());
            });
            return String.join(",", entries);
        }
    }

    /** MariaDB's position: per replication domain, the last transaction's {@code domain-server-sequence} */
    record Mariadb(SortedMap<Long, Gtid> domains) implements GtidSet {
        private static final Pattern GTID = Pattern.compile("(\\d{1,10})-(\\d{1,10})-(\\d{1,20})");

        /** one MariaDB GTID */
        public record Gtid(long domain, long serverId, long sequence) {
            @Override
            public String toString() {
                return domain + "-" + serverId + "-" + Long.toUnsignedString(sequence);
            }
        }

        public Mariadb {
            domains = Collections.unmodifiableSortedMap(new TreeMap<>(domains));
        }

        static Mariadb parse(String text, String compact) {
            SortedMap<Long, Gtid> domains = new TreeMap<>();
            for (String entry : compact.split(",", -1)) {
                Gtid g = gtid(text, entry);
                if (domains.putIfAbsent(g.domain(), g) != null) {
                    throw invalid(text, "domain " + g.domain() + " appears twice; MariaDB's form names the last"
                            + " transaction of each domain once");
                }
            }
            return new Mariadb(domains);
        }

        private static Gtid gtid(String text, String entry) {
            Matcher m = GTID.matcher(entry);
            if (!m.matches()) {
                throw invalid(text, "'" + entry + "' is neither MariaDB's domain-server-sequence nor MySQL's"
                        + " uuid:interval");
            }
            try {
                return new Gtid(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                        Long.parseUnsignedLong(m.group(3)));
            } catch (NumberFormatException e) {
                throw invalid(text, "'" + entry + "' has a number out of range");
            }
        }

        @Override
        public Form form() {
            return Form.MARIADB;
        }

        @Override
        public Mariadb plus(String gtid) {
            Gtid g = gtid(gtid, gtid.strip());
            SortedMap<Long, Gtid> next = new TreeMap<>(domains);
            next.put(g.domain(), g);
            return new Mariadb(next);
        }

        @Override
        public boolean isEmpty() {
            return domains.isEmpty();
        }

        @Override
        public String toString() {
            return String.join(",", domains.values().stream().map(Gtid::toString).toList());
        }
    }

    private static TidemarkException invalid(String text, String why) {
        return new TidemarkException(ErrorCode.GTID_SET_INVALID, text, why);
    }
}

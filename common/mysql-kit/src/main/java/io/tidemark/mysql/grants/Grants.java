package io.tidemark.mysql.grants;

import io.tidemark.common.table.TableRef;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What an account may do, read from the lines of its SHOW GRANTS: the kit's one reader of grants, for the source and
 * the target checks. MySQL 5.7/8, Aurora MySQL, MariaDB and TiDB print the same shape
 * ({@code GRANT <privileges> ON <what> TO <grantee>}, MySQL 8's partial revokes as {@code REVOKE ... FROM}); what
 * MariaDB prints besides — {@code TO PUBLIC} lines (10.11), the active role's own lines — counts too, since the server
 * adds those up. Unit-tested on lines in each server's format; run against a real server on MariaDB only.
 *
 * <p>Roles count as the server counts them: only the session's active ones (its default roles, as a new session of
 * Tidemark's gets them). MariaDB's SHOW GRANTS prints the active role's own lines; on MySQL 8 and TiDB, {@link #show}
 * reads {@code CURRENT_ROLE()} and shows the grants {@code USING} those roles, which the server merges into the
 * account's lines, and records which roles that was. A role granted but not active gives nothing: {@link
 * #inactiveRoles()} names them, so a check can say to make them default. Privileges on single tables, columns and routines are not read either: a migration
 * creates tables, so it needs its privileges on the whole schema. An immutable value.
 */
public final class Grants {
    /** what {@code ALL PRIVILEGES} is read as */
    public static final String ALL = "ALL";
    private static final String PUBLIC = "PUBLIC";

    private final List<GrantLine> lines;
    private final String account;
    private final List<String> roles;
    /** the roles whose privileges {@link #show} merged into the account's lines (MySQL 8, TiDB) */
    private final Set<String> expanded;
    /** {@link #show}'s own line: the roles it read the grants USING */
    private static final String EXPANDED = "-- tidemark: grants shown using roles ";
    /** MySQL prints REVOKE lines only with partial_revokes ON, which also makes database names literal */
    private final boolean partialRevokes;

    private Grants(List<GrantLine> lines, Set<String> expanded) {
        this.lines = List.copyOf(lines);
        this.expanded = Set.copyOf(expanded);
        this.account = lines.stream().map(GrantLine::grantee).filter(g -> !g.equalsIgnoreCase(PUBLIC)).findFirst()
                .orElse(null);
        List<String> granted = new ArrayList<>();
        lines.stream().filter(l -> l.kind() == GrantLine.Kind.ROLES && l.grantee().equals(account))
                .forEach(l -> granted.addAll(l.privileges()));
        this.roles = List.copyOf(granted);
        this.partialRevokes = lines.stream().anyMatch(l -> l.kind() == GrantLine.Kind.REVOKE);
    }

    /**
     * reads SHOW GRANTS lines; lines that grant nothing ({@code SET DEFAULT ROLE ...}) are passed over, and
     * {@link #show}'s own line naming the roles it expanded is taken note of
     */
    public static Grants parse(Collection<String> showGrantsLines) {
        List<GrantLine> parsed = new ArrayList<>();
        Set<String> expanded = new HashSet<>();
        for (String line : showGrantsLines) {
            if (line.startsWith(EXPANDED)) {
                for (String role : line.substring(EXPANDED.length()).split(",")) {
                    expanded.add(normalRole(role));
                }
                continue;
            }
            GrantLine.parse(line).ifPresent(parsed::add);
        }
        return new Grants(parsed, expanded);
    }

    /**
     * the lines of SHOW GRANTS for the session's account as the server prints them, with the session's active roles'
     * privileges: on MySQL 8 and TiDB {@code SHOW GRANTS FOR CURRENT_USER() USING} the roles {@code CURRENT_ROLE()}
     * names, plus a line of Tidemark's own that says which roles that was (MariaDB prints its active role's lines
     * itself)
     */
    public static List<String> show(Connection session) throws SQLException {
        List<String> lines = lines(session, "SHOW GRANTS");
        String active = currentRoles(session);
        if (active != null && active.contains("@")) {
            try {
                List<String> using = new ArrayList<>(lines(session, "SHOW GRANTS FOR CURRENT_USER() USING " + active));
                using.add(EXPANDED + active);
                return List.copyOf(using);
            } catch (SQLException e) {
                return lines; // the roles' privileges stay unread: checks then see the roles as inactive and say so
            }
        }
        return lines;
    }

    /** MySQL 8/TiDB: {@code `r1`@`%`,`r2`@`%`}; MariaDB: the role's name; null when none or not supported */
    private static String currentRoles(Connection session) {
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery("SELECT CURRENT_ROLE()")) {
            String v = rs.next() ? rs.getString(1) : null;
            return v == null || v.isBlank() || v.equalsIgnoreCase("NONE") ? null : v;
        } catch (SQLException e) {
            return null; // a server without roles (MySQL 5.7, Aurora 2)
        }
    }

    private static List<String> lines(Connection session, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (Statement st = session.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return List.copyOf(lines);
    }

    /**
     * the roles granted to the account that give it nothing in a new session: not active (not a default role), so
     * neither printed with their own lines nor expanded by {@link #show}
     */
    public List<String> inactiveRoles() {
        Set<String> shown = new HashSet<>();
        lines.stream().filter(l -> l.kind() != GrantLine.Kind.ROLES).forEach(l -> shown.add(normalRole(l.grantee())));
        return roles.stream().filter(r -> !shown.contains(normalRole(r)) && !expanded.contains(normalRole(r)))
                .toList();
    }

    /** {@code `app_rw`@`%`}, {@code 'app_rw'@'%'} and {@code app_rw} all name role app_rw@% */
    private static String normalRole(String role) {
        String r = role.strip().replace("`", "").replace("'", "");
        return r.contains("@") ? r : r + "@%";
    }

    /** the account as SHOW GRANTS names it ({@code `repl`@`%`} on MariaDB and MySQL 8, {@code 'u'@'%'} on TiDB) */
    public Optional<String> account() {
        return Optional.ofNullable(account);
    }

    /** the roles granted to the account, as the server names them ({@code `app_rw`}, {@code `app_rw`@`%`}) */
    public List<String> roles() {
        return roles;
    }

    /** the privileges granted ON *.*, upper-case and single-spaced; {@code ALL PRIVILEGES} appears as {@link #ALL} */
    public Set<String> global() {
        Set<String> out = new HashSet<>();
        lines.stream().filter(l -> l.kind() == GrantLine.Kind.GRANT && l.on() instanceof GrantLine.On.Global)
                .forEach(l -> out.addAll(l.privileges()));
        return out;
    }

    /**
     * The privileges of {@code needed} that the grants do not give on every table of {@code schema}, in the order of
     * {@code needed}: a privilege is given ON *.* (unless a partial revoke takes it back on the schema) or ON the
     * schema's database, by name or by the most specific wildcard grant matching it; ALL gives every privilege.
     *
     * @param needed     privilege names as GRANT spells them, upper-case ({@code CREATE}, {@code INSERT})
     * @param ignoreCase true when the server compares database names without case (TiDB); MySQL and MariaDB compare
     *                   them with case unless lower_case_table_names is set, which lower-cases names anyway
     */
    public Set<String> missingOn(String schema, Collection<String> needed, boolean ignoreCase) {
        Set<String> missing = new LinkedHashSet<>(needed);
        // each grantee shown (the account, PUBLIC, an active role) adds what it holds: the server adds them up too
        byGrantee().values().forEach(own -> missing.removeIf(p -> holds(own, schema, p, ignoreCase, true)));
        return missing;
    }

    /**
     * The privileges a {@code GRANT ... ON }{@link #onSchema}{@code (schema)} must name for the account to hold all of
     * {@code needed} there: the missing ones — and, when the account's privileges on the schema come from a wildcard
     * grant, every needed one that grant gave as well, since the server then uses the new grant on the name instead of
     * the wildcard's. Empty when nothing is missing.
     */
    public Set<String> toGrantOn(String schema, Collection<String> needed, boolean ignoreCase) {
        Set<String> missing = missingOn(schema, needed, ignoreCase);
        List<GrantLine> own = account == null ? null : byGrantee().get(account);
        if (missing.isEmpty() || own == null) {
            return missing;
        }
        List<GrantLine> best = mostSpecific(own, schema, ignoreCase);
        boolean byWildcard = !best.isEmpty() && best.stream().noneMatch(l -> DatabasePattern.specificity(
                ((GrantLine.On.Database) l.on()).pattern(), partialRevokes) == DatabasePattern.EXACT);
        if (!byWildcard) {
            return missing;
        }
        Set<String> grant = new LinkedHashSet<>(needed);
        byGrantee().forEach((grantee, lines) -> grant.removeIf(p -> holds(lines, schema, p, ignoreCase,
                !grantee.equals(account))));
        return grant;
    }

    /**
     * The {@code ON} part of a GRANT that gives privileges on {@code schema} and on no other database:
     * {@code `shop\_db`.*} (an unescaped {@code _} would also match {@code shopXdb}).
     */
    public static String onSchema(String schema) {
        return TableRef.quote(DatabasePattern.exactly(schema)) + ".*";
    }

    /** the privilege and REVOKE lines by grantee, in the order shown */
    private Map<String, List<GrantLine>> byGrantee() {
        Map<String, List<GrantLine>> out = new LinkedHashMap<>();
        lines.stream().filter(l -> l.kind() != GrantLine.Kind.ROLES)
                .forEach(l -> out.computeIfAbsent(l.grantee(), g -> new ArrayList<>()).add(l));
        return out;
    }

    /** whether one grantee's lines give {@code privilege} on {@code schema}: globally, or by its database grants */
    private boolean holds(List<GrantLine> own, String schema, String privilege, boolean ignoreCase,
                          boolean withDatabaseGrants) {
        boolean global = own.stream().anyMatch(l -> l.kind() == GrantLine.Kind.GRANT
                && l.on() instanceof GrantLine.On.Global && gives(l, privilege));
        boolean revoked = own.stream().anyMatch(l -> l.kind() == GrantLine.Kind.REVOKE
                && l.on() instanceof GrantLine.On.Database d
                && DatabasePattern.matches(d.pattern(), schema, true, ignoreCase) && gives(l, privilege));
        if (global && !revoked) {
            return true;
        }
        if (!withDatabaseGrants) {
            return false;
        }
        List<GrantLine> best = mostSpecific(own, schema, ignoreCase);
        if (best.isEmpty()) {
            return false;
        }
        // grants on one name are one row on the server, their union; of equally specific rows, what all of them give
        Map<String, Set<String>> rows = new LinkedHashMap<>();
        best.forEach(l -> rows.computeIfAbsent(((GrantLine.On.Database) l.on()).pattern(), k -> new HashSet<>())
                .addAll(l.privileges()));
        return rows.values().stream().allMatch(row -> row.contains(ALL) || row.contains(privilege));
    }

    /** the grantee's database grants matching {@code schema} that the server uses: the most specific ones */
    private List<GrantLine> mostSpecific(List<GrantLine> own, String schema, boolean ignoreCase) {
        List<GrantLine> matching = new ArrayList<>();
        int best = -1;
        for (GrantLine l : own) {
            if (l.kind() != GrantLine.Kind.GRANT || !(l.on() instanceof GrantLine.On.Database d)
                    || !DatabasePattern.matches(d.pattern(), schema, partialRevokes, ignoreCase)) {
                continue;
            }
            int specificity = DatabasePattern.specificity(d.pattern(), partialRevokes);
            if (specificity > best) {
                matching.clear();
                best = specificity;
            }
            if (specificity == best) {
                matching.add(l);
            }
        }
        return matching;
    }

    private static boolean gives(GrantLine l, String privilege) {
        return l.privileges().contains(ALL) || l.privileges().contains(privilege);
    }

    @Override
    public String toString() {
        return lines.toString();
    }
}

package io.tidemark.mysql.precheck.target;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.common.table.TableRef;
import io.tidemark.mysql.grants.Grants;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The target account may create and write the migrated schemas' tables: each needed privilege is granted ON *.* or on
 * the schema's database (by name or by a wildcard grant), read from SHOW GRANTS. Without it a migration fails
 * mid-import or mid-replication on error 1142 or 1044. Roles are not expanded: when the account's own grants fall short
 * and it holds roles, the result is a warning, not a failure.
 */
final class PrivilegesCheck implements Precheck<TargetFacts> {
    /** the order SHOW GRANTS prints privileges in; others follow alphabetically */
    private static final List<String> PRINT_ORDER = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP",
            "INDEX", "ALTER");

    private final List<String> schemas;
    private final List<String> needed;

    PrivilegesCheck(Collection<String> schemas, Set<String> needed) {
        if (needed.isEmpty()) {
            throw new IllegalArgumentException("a privilege check needs at least one privilege to look for");
        }
        this.schemas = schemas.stream().distinct().sorted().toList();
        this.needed = needed.stream().map(p -> p.strip().toUpperCase(Locale.ROOT)).distinct()
                .sorted(Comparator.comparingInt((String p) -> PRINT_ORDER.contains(p) ? PRINT_ORDER.indexOf(p)
                        : PRINT_ORDER.size()).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    @Override
    public String name() {
        return TargetChecks.PRIVILEGES;
    }

    @Override
    public Set<String> needs() {
        return Set.of(TargetChecks.LOGIN);
    }

    @Override
    public CheckResult check(TargetFacts f) {
        if (schemas.isEmpty()) {
            return CheckResult.pass(name(), "no migrated schema to check");
        }
        String account = f.account();
        if (!f.grants().known()) {
            Map<String, List<String>> all = new TreeMap<>();
            schemas.forEach(s -> all.put(s, needed));
            return CheckResult.warn(name(), "cannot read the account's grants, so whether it may write "
                    + names(schemas) + " is not known: " + f.grants().error().detail(),
                    "make sure " + account + " holds them: " + grants(all, account));
        }
        Grants grants = Grants.parse(f.grants().value());
        boolean ignoreCase = f.flavor().isTiDb();
        Map<String, List<String>> missing = new TreeMap<>();
        Map<String, List<String>> toGrant = new TreeMap<>();
        for (String schema : schemas) {
            Set<String> lacks = grants.missingOn(schema, needed, ignoreCase);
            if (!lacks.isEmpty()) {
                missing.put(schema, List.copyOf(lacks));
                toGrant.put(schema, List.copyOf(grants.toGrantOn(schema, needed, ignoreCase)));
            }
        }
        if (missing.isEmpty()) {
            return CheckResult.pass(name(), String.join(", ", needed) + " granted on " + names(schemas));
        }
        String lacks = missing.entrySet().stream()
                .map(e -> TableRef.quote(e.getKey()) + " lacks " + String.join(", ", e.getValue()))
                .collect(Collectors.joining("; "));
        String fix = grants(toGrant, account);
        if (!grants.inactiveRoles().isEmpty()) {
            String roles = String.join(", ", grants.inactiveRoles());
            return CheckResult.warn(name(), "the account's grants fall short: " + lacks + "; it also holds "
                    + roles + ", which is not active in a new session (not a default role), so its privileges do not"
                    + " apply", fix + " (or, if " + roles + " grants them, make it the account's default role: SET"
                    + " DEFAULT ROLE " + grants.inactiveRoles().getFirst() + " FOR " + account + ")");
        }
        return CheckResult.fail(name(), new TidemarkException(ErrorCode.TARGET_PRIVILEGE_MISSING, f.endpoint(),
                "the migrated schemas", lacks), fix);
    }

    private static String grants(Map<String, List<String>> privilegesBySchema, String account) {
        return privilegesBySchema.entrySet().stream()
                .map(e -> "GRANT " + String.join(", ", e.getValue()) + " ON " + Grants.onSchema(e.getKey())
                        + " TO " + account)
                .collect(Collectors.joining("; "));
    }

    private static String names(List<String> schemas) {
        return schemas.stream().map(TableRef::quote).collect(Collectors.joining(", "));
    }
}

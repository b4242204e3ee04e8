package io.tidemark.mysql.precheck.target;

import io.tidemark.common.error.ErrorCode;
import io.tidemark.common.error.TidemarkException;
import io.tidemark.mysql.precheck.CheckResult;
import io.tidemark.mysql.precheck.Precheck;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The target checks: login, writable, the meta schema usable, and the privileges the migrated schemas need. Every
 * check only reads {@link TargetFacts}.
 */
public final class TargetChecks {
    public static final String LOGIN = "target_login";
    public static final String NOT_READ_ONLY = "target_not_read_only";
    public static final String META_SCHEMA = "meta_schema_writable";
    public static final String PRIVILEGES = "target_privileges";

    /**
     * What lightning-service's import runs on a migrated schema: CREATE for CREATE DATABASE and CREATE TABLE of the
     * schema files; INSERT for the rows (INSERT, REPLACE, LOAD DATA LOCAL INFILE); DELETE because REPLACE (the default
     * on-duplicate, and every LOAD DATA ... REPLACE) deletes the row it replaces; SELECT because the import reads the
     * target tables' columns and whether they exist (information_schema lists only tables the account may use). Not
     * UPDATE (no statement updates rows in place) nor DROP (an import never drops).
     */
    public static final Set<String> IMPORT = ordered("SELECT", "INSERT", "DELETE", "CREATE");

    /**
     * What dm-service's replication replays on a migrated schema, as DM asks of its downstream: row events as INSERT
     * (REPLACE in safe mode, so DELETE too), UPDATE and DELETE, whose WHERE on the key needs SELECT; DDL as CREATE and
     * DROP (databases, tables; TRUNCATE needs DROP), ALTER (and RENAME, which needs ALTER, DROP, CREATE and INSERT) and
     * INDEX (CREATE/DROP INDEX). It holds {@link #IMPORT}: a migration that imports and then replicates checks this.
     */
    public static final Set<String> REPLICATION = ordered("SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP",
            "INDEX", "ALTER");

    private TargetChecks() {
    }

    /** what every migration that writes to the target needs: an import and replication alike */
    public static List<Precheck<TargetFacts>> all() {
        return List.of(login(), notReadOnly(), metaSchemaWritable());
    }

    public static Precheck<TargetFacts> login() {
        return new Login();
    }

    public static Precheck<TargetFacts> notReadOnly() {
        return new NotReadOnly();
    }

    public static Precheck<TargetFacts> metaSchemaWritable() {
        return new MetaSchemaWritable();
    }

    /**
     * {@code target_privileges}: for every schema of {@code schemas} (the target schemas, after routing), each of
     * {@code needed} is granted to the target account ON *.* or ON `schema`.* — by name, or by a wildcard grant such as
     * {@code `shop\_%`.*} as the server matches it. Fails naming each schema with what it lacks, the fix being the
     * GRANT statements; warns instead when SHOW GRANTS could not be read, or the account holds roles (which are not
     * expanded) and its own grants fall short. Needs {@link #LOGIN}. Read from SHOW GRANTS, whose lines MySQL, MariaDB
     * and TiDB print alike; run against a real server on MariaDB only.
     *
     * @param needed privilege names as GRANT spells them: {@link #IMPORT}, {@link #REPLICATION}, or any set
     */
    public static Precheck<TargetFacts> privileges(Collection<String> schemas, Set<String> needed) {
        return new PrivilegesCheck(schemas, needed);
    }

    private static Set<String> ordered(String... privileges) {
        return Collections.unmodifiableSequencedSet(new LinkedHashSet<>(List.of(privileges)));
    }

    static final class Login implements Precheck<TargetFacts> {
        @Override
        public String name() {
            return LOGIN;
        }

        @Override
        public CheckResult check(TargetFacts f) {
            if (f.loggedIn()) {
                return CheckResult.pass(name(), "logged in to " + f.endpoint() + " (" + f.flavor() + ")");
            }
            TidemarkException e = f.loginError();
            return CheckResult.fail(name(), e, switch (e.error()) {
                case TARGET_ACCESS_DENIED -> "check the target user and password in the migration spec and that the"
                        + " account may log in from Tidemark's hosts ('user'@'%')";
                case TARGET_UNREACHABLE -> "check that the target runs and that host and port are right (TiDB"
                        + " listens on 4000 by default, behind its load balancer), and let Tidemark's hosts through"
                        + " the firewall";
                default -> e.error().remedy();
            });
        }
    }

    static final class NotReadOnly implements Precheck<TargetFacts> {
        /** the stricter switch first: super_read_only stays ON while read_only is, and restricted implies super */
        private static final List<String> TURN_OFF_ORDER = List.of("super_read_only", "read_only",
                "tidb_restricted_read_only", "tidb_super_read_only", "innodb_read_only");

        @Override
        public String name() {
            return NOT_READ_ONLY;
        }

        @Override
        public Set<String> needs() {
            return Set.of(LOGIN);
        }

        @Override
        public CheckResult check(TargetFacts f) {
            if (!f.readOnly().known()) {
                return CheckResult.warn(name(), "cannot read the read-only settings: "
                        + f.readOnly().error().detail(), "make sure read_only is OFF on the target");
            }
            Map<String, Boolean> switches = f.readOnly().value();
            List<String> on = switches.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                    .sorted(Comparator.comparingInt(TURN_OFF_ORDER::indexOf)).toList();
            if (on.isEmpty()) {
                return CheckResult.pass(name(), switches.isEmpty() ? "no read-only setting reported"
                        : String.join(", ", switches.keySet()) + " OFF");
            }
            String list = on.stream().map(s -> s + "=ON").collect(Collectors.joining(", "));
            return CheckResult.fail(name(), new TidemarkException(ErrorCode.TARGET_READ_ONLY, f.endpoint(),
                    "writes", list), instruction(on));
        }

        private static String instruction(List<String> on) {
            if (on.contains("innodb_read_only")) {
                return "innodb_read_only cannot change at runtime: restart the target without innodb_read_only, or"
                        + " point the migration at a writable server";
            }
            String sets = on.stream().map(s -> "SET GLOBAL " + s + " = OFF").collect(Collectors.joining("; "));
            return sets + " (or point the migration at the primary)";
        }
    }

    static final class MetaSchemaWritable implements Precheck<TargetFacts> {
        @Override
        public String name() {
            return META_SCHEMA;
        }

        @Override
        public Set<String> needs() {
            return Set.of(LOGIN, NOT_READ_ONLY);
        }

        @Override
        public CheckResult check(TargetFacts f) {
            if (f.metaWrite().known()) {
                return CheckResult.pass(name(), "created and wrote " + f.metaSchema() + "." + TargetFacts.PROBE_TABLE);
            }
            TidemarkException e = f.metaWrite().error();
            return CheckResult.fail(name(), e, e.error() == ErrorCode.TARGET_PRIVILEGE_MISSING
                    ? "GRANT CREATE, SELECT, INSERT, UPDATE, DELETE, DROP, ALTER, INDEX ON `" + f.metaSchema()
                    + "`.* TO '" + f.user() + "'@'%' (Tidemark keeps its checkpoints there)"
                    : e.error().remedy());
        }
    }
}

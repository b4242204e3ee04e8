package io.tidemark.mysql.grants;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** SHOW GRANTS lines as MariaDB 10.11, MySQL 8 and TiDB print them. */
class GrantsTest {
    private static final List<String> WRITE = List.of("SELECT", "INSERT", "DELETE", "CREATE");

    /** recorded from MariaDB 10.11: a role granted but not active, a wildcard grant, and the PUBLIC grants */
    private static final List<String> MARIADB = List.of(
            "GRANT `r1` TO `u`@`%`",
            "GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D0463EFAE20BDD122'",
            "GRANT SELECT ON `shop`.* TO `u`@`%`",
            "GRANT CREATE ON `shop\\_%`.* TO `u`@`%`",
            "GRANT INSERT ON `sho%`.* TO `u`@`%`",
            "GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER, CREATE TEMPORARY TABLES,"
                    + " LOCK TABLES, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, EVENT, TRIGGER, DELETE HISTORY ON `test`.*"
                    + " TO PUBLIC");

    @Test
    void theAccountIsNamedAsTheServerQuotesItAndRolesAreListed() {
        Grants mariadb = Grants.parse(MARIADB);
        Grants mysql = Grants.parse(List.of("GRANT USAGE ON *.* TO `app`@`%`",
                "GRANT `app_rw`@`%`,`app_ddl`@`%` TO `app`@`%`"));
        Grants tidb = Grants.parse(List.of("GRANT USAGE ON *.* TO 'tm'@'%'"));

        assertThat(mariadb.account()).contains("`u`@`%`");
        assertThat(mariadb.roles()).containsExactly("`r1`");
        assertThat(mysql.account()).contains("`app`@`%`");
        assertThat(mysql.roles()).containsExactly("`app_rw`@`%`", "`app_ddl`@`%`");
        assertThat(tidb.account()).contains("'tm'@'%'");
        assertThat(tidb.roles()).isEmpty();
        assertThat(Grants.parse(List.of()).account()).isEmpty();
    }

    @Test
    void rolesAreInactiveUnlessTheirLinesAreShownOrTheGrantsWereShownUsingThem() {
        // MariaDB prints the active role's own lines; a granted role without them is not active
        Grants mariadbActive = Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`", "GRANT `r1` TO `u`@`%`",
                "GRANT SELECT ON `shop`.* TO `r1`"));
        Grants mariadbInactive = Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`", "GRANT `r1` TO `u`@`%`"));
        // MySQL 8: SHOW GRANTS ... USING the current roles merges their privileges into the account's lines
        Grants mysqlUsing = Grants.parse(List.of("GRANT USAGE ON *.* TO `app`@`%`",
                "GRANT SELECT, INSERT ON `shop`.* TO `app`@`%`", "GRANT `app_rw`@`%`,`app_ddl`@`%` TO `app`@`%`",
                "-- tidemark: grants shown using roles `app_rw`@`%`"));

        assertThat(mariadbActive.inactiveRoles()).isEmpty();
        assertThat(mariadbActive.missingOn("shop", List.of("SELECT"), false)).isEmpty();
        assertThat(mariadbInactive.inactiveRoles()).containsExactly("`r1`");
        assertThat(mysqlUsing.inactiveRoles()).containsExactly("`app_ddl`@`%`");
        assertThat(mysqlUsing.missingOn("shop", List.of("SELECT", "INSERT"), false)).isEmpty();
    }

    @Test
    void globalPrivilegesIncludeMySqlsDynamicOnesAndReadAllPrivilegesAsAll() {
        Grants grants = Grants.parse(List.of(
                "GRANT SELECT, RELOAD, REPLICATION SLAVE ON *.* TO `root`@`localhost` WITH GRANT OPTION",
                "GRANT BACKUP_ADMIN,BINLOG_ADMIN ON *.* TO `root`@`localhost` WITH GRANT OPTION",
                "GRANT PROXY ON ``@`` TO `root`@`localhost` WITH GRANT OPTION"));

        assertThat(grants.global()).containsExactlyInAnyOrder("SELECT", "RELOAD", "REPLICATION SLAVE", "BACKUP_ADMIN",
                "BINLOG_ADMIN");
        assertThat(Grants.parse(List.of("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%'")).global())
                .containsExactly(Grants.ALL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "global ALL             | GRANT ALL PRIVILEGES ON *.* TO `u`@`%` WITH GRANT OPTION           | \"\"",
            "database ALL, MySQL 8  | GRANT ALL PRIVILEGES ON `shop`.* TO `u`@`%`                        | \"\"",
            "database, TiDB         | GRANT SELECT,INSERT,DELETE,CREATE ON `shop`.* TO 'u'@'%'            | \"\"",
            "some on the database   | GRANT SELECT, INSERT ON `shop`.* TO `u`@`%`                         | DELETE, CREATE",
            "another database       | GRANT ALL PRIVILEGES ON `crm`.* TO `u`@`%`                          | SELECT, INSERT,"
                    + " DELETE, CREATE",
            "one table only         | GRANT ALL PRIVILEGES ON `shop`.`orders` TO `u`@`%`                  | SELECT, INSERT,"
                    + " DELETE, CREATE",
            "columns only           | GRANT SELECT (`id`, `total`), INSERT (`id`) ON `shop`.`orders` TO `u`@`%` | SELECT,"
                    + " INSERT, DELETE, CREATE",
            "wildcard %             | GRANT ALL PRIVILEGES ON `sh%`.* TO `u`@`%`                          | \"\"",
            "wildcard _             | GRANT ALL PRIVILEGES ON `sho_`.* TO `u`@`%`                         | \"\"",
            "escaped _ is literal   | GRANT ALL PRIVILEGES ON `sh\\_p`.* TO `u`@`%`                       | SELECT, INSERT,"
                    + " DELETE, CREATE",
            "case differs (MariaDB) | GRANT ALL PRIVILEGES ON `SHOP`.* TO `u`@`%`                         | SELECT, INSERT,"
                    + " DELETE, CREATE",
            "a routine              | GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `u`@`%`                    | SELECT, INSERT,"
                    + " DELETE, CREATE"})
    void theMissingPrivilegesOfOneGrant(String name, String line, String missing) {
        Set<String> lacks = Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`", line)).missingOn("shop", WRITE, false);

        assertThat(String.join(", ", lacks)).isEqualTo(missing);
    }

    @Test
    void theMostSpecificMatchingDatabaseGrantIsTheOneTheServerUses() {
        // checked on MariaDB 10.11: with these grants the account may only SELECT in shop, and only CREATE in shop_x
        Grants grants = Grants.parse(MARIADB);

        assertThat(grants.missingOn("shop", WRITE, false)).containsExactly("INSERT", "DELETE", "CREATE");
        assertThat(grants.missingOn("shop_x", WRITE, false)).containsExactly("SELECT", "INSERT", "DELETE");
        assertThat(grants.missingOn("shopx", WRITE, false)).containsExactly("SELECT", "DELETE", "CREATE");
    }

    @Test
    void publicAndActiveRoleGrantsAddUp() {
        Grants grants = Grants.parse(List.of(
                "GRANT `r1` TO `u`@`%`",
                "GRANT USAGE ON *.* TO `u`@`%`",
                "GRANT SELECT ON `test`.* TO `u`@`%`",
                "GRANT USAGE ON *.* TO `r1`",
                "GRANT DELETE ON `test`.* TO `r1`",
                "GRANT INSERT ON `test`.* TO PUBLIC",
                "SET DEFAULT ROLE `r1` FOR `u`@`%`"));

        assertThat(grants.account()).contains("`u`@`%`");
        assertThat(grants.missingOn("test", WRITE, false)).containsExactly("CREATE");
    }

    @Test
    void mySqlPartialRevokesTakeBackGlobalPrivilegesAndMakeNamesLiteral() {
        Grants grants = Grants.parse(List.of(
                "GRANT SELECT, INSERT, DELETE, CREATE ON *.* TO `u`@`%`",
                "GRANT ALL PRIVILEGES ON `tmp_%`.* TO `u`@`%`",
                "REVOKE INSERT, DELETE ON `shop`.* FROM `u`@`%`"));

        assertThat(grants.missingOn("shop", WRITE, false)).containsExactly("INSERT", "DELETE");
        assertThat(grants.missingOn("crm", WRITE, false)).isEmpty();
        // with partial_revokes ON the server takes `tmp_%` literally: it is no wildcard for tmp_1
        assertThat(Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`", "GRANT ALL PRIVILEGES ON `tmp_%`.* TO `u`@`%`",
                "REVOKE INSERT ON `mysql`.* FROM `u`@`%`")).missingOn("tmp_1", WRITE, false)).hasSize(4);
    }

    @Test
    void tidbComparesDatabaseNamesWithoutCase() {
        Grants grants = Grants.parse(List.of("GRANT USAGE ON *.* TO 'u'@'%'",
                "GRANT SELECT,INSERT,DELETE,CREATE ON `Shop`.* TO 'u'@'%'"));

        assertThat(grants.missingOn("shop", WRITE, true)).isEmpty();
        assertThat(grants.missingOn("shop", WRITE, false)).hasSize(4);
    }

    @Test
    void aGrantOnTheNameAloneMustRepeatWhatAWildcardGrantGaveSinceItReplacesIt() {
        Grants wildcard = Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`",
                "GRANT SELECT, INSERT ON `shop%`.* TO `u`@`%`"));
        Grants byName = Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`",
                "GRANT SELECT, INSERT ON `shop`.* TO `u`@`%`"));
        Grants globalSelect = Grants.parse(List.of("GRANT SELECT ON *.* TO `u`@`%`",
                "GRANT INSERT ON `shop%`.* TO `u`@`%`"));

        assertThat(wildcard.missingOn("shop", WRITE, false)).containsExactly("DELETE", "CREATE");
        assertThat(wildcard.toGrantOn("shop", WRITE, false)).containsExactly("SELECT", "INSERT", "DELETE", "CREATE");
        assertThat(byName.toGrantOn("shop", WRITE, false)).containsExactly("DELETE", "CREATE");
        assertThat(globalSelect.toGrantOn("shop", WRITE, false)).containsExactly("INSERT", "DELETE", "CREATE");
    }

    @Test
    void aGrantOnOneSchemaEscapesItsWildcardCharacters() {
        assertThat(Grants.onSchema("shop")).isEqualTo("`shop`.*");
        assertThat(Grants.onSchema("shop_db")).isEqualTo("`shop\\_db`.*");
        assertThat(Grants.onSchema("100%`x")).isEqualTo("`100\\%``x`.*");
    }

    @Test
    void quotedNamesHoldingKeywordsAndBackticksAreRead() {
        Grants grants = Grants.parse(List.of("GRANT USAGE ON *.* TO `u`@`%`",
                "GRANT SELECT, INSERT, DELETE, CREATE ON `a TO b ON c`.* TO `u`@`%`",
                "GRANT SELECT, INSERT, DELETE, CREATE ON `my``db`.* TO `u`@`%`"));

        assertThat(grants.account()).contains("`u`@`%`");
        assertThat(grants.missingOn("a TO b ON c", WRITE, false)).isEmpty();
        assertThat(grants.missingOn("my`db", WRITE, false)).isEmpty();
    }
}

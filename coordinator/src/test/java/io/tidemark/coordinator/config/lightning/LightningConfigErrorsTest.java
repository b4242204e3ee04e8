package io.tidemark.coordinator.config.lightning;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static io.tidemark.coordinator.config.lightning.Toml.failure;
import static io.tidemark.coordinator.config.lightning.Toml.valid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each class of mistake in a TiDB Lightning file, one row each: the problem names the key by its TOML path, its line,
 * what is wrong and the fix. The minimal file of {@link Toml#valid} has 8 lines; the line under test follows.
 */
class LightningConfigErrorsTest {
    /** the first line a test appends to {@link Toml#valid} */
    private static final int NEXT = 9;

    static Stream<Arguments> mistakes() {
        return Stream.of(
                // unknown keys, with the nearest known one
                row("misspelt key", "data-sorce-dir = \"/x\"\n", "mydumper.data-sorce-dir", NEXT,
                        "is not a key of [mydumper] that Tidemark knows", "did you mean `mydumper.data-source-dir`?"),
                row("misspelt section", "[tikv_importer]\nbackend = \"tidb\"\n", "tikv_importer", NEXT,
                        "is not a key of the top level", "did you mean `tikv-importer`?"),
                row("key outside its section", "[lightning]\nhost = \"x\"\n", "lightning.host", NEXT + 1,
                        "is not a key of [lightning]", "move it under [tidb]"),
                row("unknown key without a near one", "[cron]\nzzz = 1\n", "cron.zzz", NEXT + 1,
                        "is not a key of [cron]", "the keys of [cron] are switch-mode, log-progress"),
                row("Lightning key Tidemark does not implement", "[tikv-importer]\nregion-split-size = \"96MiB\"\n",
                        "tikv-importer.region-split-size", NEXT + 1,
                        "is a TiDB Lightning setting Tidemark does not implement: it tunes TiDB Lightning's"
                                + " physical import", "remove it"),
                row("unknown key in a rule", "[[mydumper.files]]\npattern = 'x'\nschema = 'a'\ntable = 'b'\n"
                                + "type = 'sql'\npatern = 'y'\n", "mydumper.files[1].patern", NEXT + 5,
                        "is not a key of [mydumper.files]", "did you mean `mydumper.files[1].pattern`?"),
                // regular expressions and templates of [[mydumper.files]]
                row("bad regex", "[[mydumper.files]]\npattern = '(?i)^([a-z0-9_]+\\.parquet$'\nschema = '$1'\n"
                                + "table = 'x'\ntype = 'parquet'\n", "mydumper.files[1].pattern", NEXT + 1,
                        "is not a valid regular expression: Unclosed group", "every ( needs its )"),
                row("Go's ungreedy flag", "[[mydumper.files]]\npattern = '(?U)^(a+)\\.sql$'\nschema = '$1'\n"
                                + "table = 'x'\ntype = 'sql'\n", "mydumper.files[1].pattern", NEXT + 1,
                        "Go's flag U (ungreedy) has no Java equivalent", "correct the expression"),
                row("template beyond the groups", "[[mydumper.files]]\npattern = '^(\\w+)\\.(\\w+)\\.(csv)$'\n"
                                + "schema = '$1'\ntable = '$2'\ntype = '$4'\n", "mydumper.files[1].type", NEXT + 4,
                        "refers to $4, but the pattern has 3 groups", "refer to a group the pattern has"),
                row("$1x is a group name, as in Go", "[[mydumper.files]]\npattern = '^(\\w+)\\.(\\w+)\\.sql$'\n"
                                + "schema = '$1x'\ntable = '$2'\ntype = 'sql'\n", "mydumper.files[1].schema", NEXT + 2,
                        "refers to $1x, but the pattern has 2 groups", "$$ writes a dollar"),
                row("unknown type", "[[mydumper.files]]\npattern = '^(\\w+)\\.(\\w+)\\.pq$'\nschema = '$1'\n"
                                + "table = '$2'\ntype = 'schema'\n", "mydumper.files[1].type", NEXT + 4,
                        "is not a type of file TiDB Lightning knows", "table-schema for CREATE TABLE files"),
                row("rule without pattern", "[[mydumper.files]]\nschema = '$1'\ntable = '$2'\ntype = 'sql'\n",
                        "mydumper.files[1].pattern", NEXT, "is not set: is missing", "the seed's Aurora-export"
                                + " rule"),
                row("rule without table", "[[mydumper.files]]\npattern = '^(\\w+)\\.sql$'\nschema = '$1'\n"
                                + "type = 'sql'\n", "mydumper.files[1].table", NEXT,
                        "names the table the matched files belong to", "write table = '$2'"),
                row("whole-file compression of Parquet", "[[mydumper.files]]\npattern = '^(\\w+)\\.(\\w+)\\.pq$'\n"
                                + "schema = '$1'\ntable = '$2'\ntype = 'parquet'\ncompression = 'gz'\n",
                        "mydumper.files[1].compression", NEXT + 5, "compresses Parquet files as a whole",
                        "remove compression"),
                // enumerations
                row("bad backend", "[tikv-importer]\nbackend = \"tikv\"\n", "tikv-importer.backend", NEXT + 1,
                        "is not one of \"tidb\", \"local\"", "write backend = \"tidb\""),
                row("the removed importer backend", "[tikv-importer]\nbackend = \"importer\"\n",
                        "tikv-importer.backend", NEXT + 1, "removed from TiDB Lightning in v6", "backend = \"tidb\""),
                row("bad on-duplicate", "[tikv-importer]\non-duplicate = \"overwrite\"\n",
                        "tikv-importer.on-duplicate", NEXT + 1, "is not one of \"replace\", \"ignore\", \"error\"",
                        "on-duplicate = \"replace\""),
                row("bad conflict strategy", "[conflict]\nstrategy = \"remove\"\n", "conflict.strategy", NEXT + 1,
                        "is not one of \"replace\", \"ignore\", \"error\", \"\"", "strategy = \"replace\""),
                row("bad checksum", "[post-restore]\nchecksum = \"maybe\"\n", "post-restore.checksum", NEXT + 1,
                        "is not one of \"required\", \"optional\", \"off\", true, false", "checksum = \"required\""),
                row("bad checkpoint driver", "[checkpoint]\ndriver = \"sqlite\"\n", "checkpoint.driver", NEXT + 1,
                        "is not one of \"file\", \"mysql\"", "driver = \"mysql\""),
                row("bad character set", "character-set = \"gbk\"\n", "mydumper.character-set", NEXT,
                        "is not a character set TiDB Lightning reads schema files in", "character-set = \"auto\""),
                row("bad log level", "[lightning]\nlevel = \"loud\"\n", "lightning.level", NEXT + 1,
                        "is not a log level", "level = \"info\""),
                row("bad duration", "[cron]\nlog-progress = \"5 minutes\"\n", "cron.log-progress", NEXT + 1,
                        "is not a duration", "\"1h30m\""),
                // on-duplicate and conflict.strategy are one setting
                row("on-duplicate and strategy disagree", "[tikv-importer]\nbackend = \"tidb\"\n"
                                + "on-duplicate = \"replace\"\n[conflict]\nstrategy = \"error\"\n", "conflict.strategy",
                        NEXT + 4, "contradicts tikv-importer.on-duplicate = \"replace\" (line 11)", "keep one"),
                // data-source-dir
                row("Google Cloud Storage", "", "gs://my-bucket/export", "mydumper.data-source-dir", 8,
                        "is gs storage; Tidemark reads local disk and Amazon S3", "copy the files to S3"),
                row("unknown scheme", "", "ftp://host/export", "mydumper.data-source-dir", 8,
                        "has the scheme ftp:, which is no storage Tidemark knows", "s3://bucket/prefix"),
                row("relative path", "", "data/export", "mydumper.data-source-dir", 8, "is a relative path",
                        "write an absolute path"),
                row("file URI with a host", "", "file://data/export", "mydumper.data-source-dir", 8,
                        "is not an absolute local path", "file:///data/export (three slashes)"),
                row("S3 without a bucket", "", "s3:///export", "mydumper.data-source-dir", 8, "no bucket: write s3://bucket/prefix",
                        "write S3 locations as s3://bucket/prefix"),
                row("misspelt S3 parameter", "", "s3://b/p?regoin=us-east-1", "mydumper.data-source-dir", 8,
                        "unknown parameter 'regoin' (did you mean region?)", "write S3 locations as s3://bucket/prefix"),
                row("S3 role not implemented", "", "s3://b/p?role-arn=arn:aws:iam::1:role/r",
                        "mydumper.data-source-dir", 8, "parameter role-arn is not supported by Tidemark: assume the role through a profile", "write S3 locations as s3://bucket/prefix"),
                row("half a key pair", "", "s3://b/p?access-key=AKIAEXAMPLE", "mydumper.data-source-dir", 8,
                        "access-key is given without secret-access-key: give both", "write S3 locations as s3://bucket/prefix"),
                row("endpoint that is no URL", "", "s3://b/p?endpoint=localhost:9000", "mydumper.data-source-dir", 8,
                        "endpoint 'localhost:9000' needs http:// or https://", "write S3 locations as s3://bucket/prefix"),
                row("force-path-style neither true nor false", "", "s3://b/p?force-path-style=yes",
                        "mydumper.data-source-dir", 8, "force-path-style must be true or false, not 'yes'", "write S3 locations as s3://bucket/prefix"),
                // seed placeholders left in
                row("placeholder in a quoted value", "", "${s3_path}", "mydumper.data-source-dir", 8,
                        "still holds the seed's placeholder ${s3_path}", "replace ${s3_path}, the ${ and }"
                                + " included, with the real value"),
                row("placeholder in a noted key", "[tikv-importer]\nsorted-kv-dir = \"${path}\"\n",
                        "tikv-importer.sorted-kv-dir", NEXT + 1, "still holds the seed's placeholder ${path}",
                        "with the real value"),
                // types and ranges
                row("port in quotes", "", "\"4000\"", "tidb.port", 3, "is a string; it must be a whole number",
                        "write port as a whole number without quotes"),
                row("port out of range", "", "70000", "tidb.port", 3, "must be the TiDB server's SQL port, 1 to"
                        + " 65535", "port = 4000"),
                row("negative max-error", "[lightning]\nmax-error = -1\n", "lightning.max-error", NEXT + 1,
                        "must not be negative", "max-error = 0"),
                row("max-error for syntax errors", "[lightning]\nmax-error = { syntax = 3 }\n",
                        "lightning.max-error.syntax", NEXT + 1, "must be 0", "remove syntax"),
                row("max-error for charset errors", "[lightning.max-error]\ncharset = 10\n",
                        "lightning.max-error.charset", NEXT + 1, "Tidemark converts no character sets",
                        "remove it"),
                row("filter as a string", "filter = 'mydb.*'\n", "mydumper.filter", NEXT,
                        "is a string; it must be an array of strings", "filter = ['mydb.*']"),
                row("filter rule that does not parse", "filter = ['mydb.*', 'orders']\n", "mydumper.filter", NEXT,
                        "has the rule \"orders\" that does not parse", "write rules as 'db.table'"),
                arguments("TLS to the target", valid("").replace("password = \"\"\n", "password = \"\"\ntls = \"cluster\"\n"),
                        "tidb.tls", 6, "asks for TLS to the target, which Tidemark does not implement",
                        "remove tls (or write tls = \"false\")"),
                row("certificates", "[security]\nca-path = \"/etc/tls/ca.pem\"\n", "security.ca-path", NEXT + 1,
                        "asks for TLS, which Tidemark does not implement", "remove it"),
                row("strict-format without terminator", "strict-format = true\n", "mydumper.strict-format", NEXT,
                        "needs mydumper.csv.terminator", "terminator = \"\\n\""),
                row("separator that begins the delimiter", "[mydumper.csv]\nseparator = '\"'\n",
                        "mydumper.csv.delimiter", NEXT, "must not begin with one another", "delimiter = '\"'"),
                row("route pattern with an inner star", "[[routes]]\nschema-pattern = \"shard_*_eu\"\n"
                                + "target-schema = \"shard\"\n", "routes[1].schema-pattern", NEXT + 1,
                        "has a * that is not at its end", "\"shard_*\""),
                row("route without target", "[[routes]]\nschema-pattern = \"shard_*\"\n", "routes[1].target-schema",
                        NEXT, "is not set: says where the routed tables go", "target-schema = \"mydb\""));
    }

    /** a row that appends {@code more} to the minimal file */
    private static Arguments row(String name, String more, String key, int line, String what, String fix) {
        return arguments(name, valid(more), key, line, what, fix);
    }

    /** a row that replaces data-source-dir, or (for a key under [tidb]) the value of that key */
    private static Arguments row(String name, String more, String value, String key, int line, String what,
                                 String fix) {
        String toml = key.startsWith("tidb.")
                ? valid(more).replaceFirst("(?m)^" + key.substring(5) + " = .*$", key.substring(5) + " = " + value)
                : valid(more).replace("data-source-dir = \"/data/export\"", "data-source-dir = \"" + value + "\"");
        return arguments(name, toml, key, line, what, fix);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void eachMistakeIsNamedByKeyLineWhatAndFix(String name, String toml, String key, int line, String what,
                                                String fix) {
        LightningConfigException e = failure(toml);

        assertThat(e.problems()).as(e.getMessage()).anySatisfy(p -> {
            assertThat(p.key()).isEqualTo(key);
            assertThat(p.position().line()).isEqualTo(line);
            assertThat(p.what()).contains(what);
            assertThat(p.fix()).contains(fix);
        });
        assertThat(e.getMessage()).contains("TM-10013 TiDB Lightning file test.toml cannot be imported: ")
                .contains("line " + line).contains("`" + key + "`");
    }
}

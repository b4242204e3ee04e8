package io.tidemark.deploy;

import java.sql.Connection;
import java.sql.SQLException;

import static io.tidemark.deploy.Demo.exec;

/** The demo's sample shop: several tables, the column types users have, ~80k rows, one table without a key. */
final class SampleData {
    private SampleData() {
    }

    /** creates the schema and data, and the migration's account with only DM's documented privileges */
    static void create(Connection c, String replPassword) throws SQLException {
        exec(c,
                "CREATE DATABASE IF NOT EXISTS shop CHARACTER SET utf8mb4",
                "USE shop", // the sequence engine's seq_1_to_N tables need a current database
                "CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '" + replPassword + "'",
                "GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'tidemark'@'%'",
                """
                CREATE TABLE shop.customers (
                  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
                  name VARCHAR(100) NOT NULL,
                  email VARCHAR(200) NOT NULL UNIQUE,
                  country CHAR(2) NOT NULL,
                  created_at DATETIME(6) NOT NULL,
                  balance DECIMAL(12,2) NOT NULL DEFAULT 0
                ) ENGINE=InnoDB""",
                """
                INSERT INTO shop.customers (name, email, country, created_at, balance)
                SELECT CONCAT('Customer ', seq, IF(seq % 7 = 0, ' 🌊', '')), CONCAT('c', seq, '@example.com'),
                       ELT(1 + seq % 5, 'JP', 'CN', 'US', 'DE', 'BR'),
                       TIMESTAMP('2024-01-01') + INTERVAL seq MINUTE + INTERVAL seq MICROSECOND,
                       (seq * 37 % 100000) / 100
                FROM seq_1_to_2000""",
                """
                CREATE TABLE shop.products (
                  sku VARCHAR(20) NOT NULL PRIMARY KEY,
                  title VARCHAR(200) NOT NULL,
                  price DECIMAL(10,2) NOT NULL,
                  weight_kg DOUBLE,
                  tags SET('new','sale','eco','fragile'),
                  status ENUM('active','retired') NOT NULL DEFAULT 'active',
                  description TEXT
                ) ENGINE=InnoDB""",
                """
                INSERT INTO shop.products
                SELECT CONCAT('SKU-', LPAD(seq, 5, '0')), CONCAT('Product ', seq, ' — 商品 ', seq),
                       (seq % 500) + 0.99, IF(seq % 9 = 0, NULL, seq / 3.0),
                       ELT(1 + seq % 4, 'new', 'sale,eco', '', 'fragile'), IF(seq % 10 = 0, 'retired', 'active'),
                       REPEAT('Lorem ipsum dolor sit amet. ', 1 + seq % 5)
                FROM seq_1_to_500""",
                """
                CREATE TABLE shop.orders (
                  id BIGINT NOT NULL PRIMARY KEY,
                  customer_id INT UNSIGNED NOT NULL,
                  ordered_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
                  total DECIMAL(14,2) NOT NULL,
                  note JSON,
                  KEY (customer_id)
                ) ENGINE=InnoDB""",
                """
                INSERT INTO shop.orders
                SELECT seq, 1 + seq % 2000, TIMESTAMP('2025-06-01') + INTERVAL seq SECOND, (seq % 1000) * 1.5,
                       IF(seq % 3 = 0, JSON_OBJECT('gift', TRUE, 'msg', CONCAT('🎁 ', seq)), NULL)
                FROM seq_1_to_20000""",
                """
                CREATE TABLE shop.order_items (
                  order_id BIGINT NOT NULL,
                  line SMALLINT NOT NULL,
                  sku VARCHAR(20) NOT NULL,
                  qty TINYINT UNSIGNED NOT NULL,
                  PRIMARY KEY (order_id, line)
                ) ENGINE=InnoDB""",
                """
                INSERT INTO shop.order_items
                SELECT o.seq, l.seq, CONCAT('SKU-', LPAD(1 + (o.seq * l.seq) % 500, 5, '0')), 1 + (o.seq + l.seq) % 5
                FROM seq_1_to_20000 o JOIN seq_1_to_3 l""",
                """
                CREATE TABLE shop.audit_log (
                  happened_at DATETIME NOT NULL,
                  actor VARCHAR(50),
                  action VARCHAR(200)
                ) ENGINE=InnoDB""",
                """
                INSERT INTO shop.audit_log
                SELECT TIMESTAMP('2025-01-01') + INTERVAL seq HOUR, IF(seq % 4 = 0, NULL, CONCAT('user', seq % 50)),
                       CONCAT('did thing #', seq % 13)
                FROM seq_1_to_5000""",
                """
                CREATE TABLE shop.type_zoo (
                  id TINYINT NOT NULL PRIMARY KEY,
                  i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT, u16 SMALLINT UNSIGNED,
                  i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED, i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED,
                  dec_wide DECIMAL(65,30), f FLOAT, d DOUBLE,
                  dt DATE, dtm DATETIME(6), ts TIMESTAMP(6) NULL, tm TIME(6), yr YEAR,
                  ch CHAR(10), vc VARCHAR(100), tx TEXT, bin BINARY(4), vb VARBINARY(50), bl BLOB,
                  js JSON, en ENUM('a','b','c'), st SET('x','y','z'), b1 BIT(1), b64 BIT(64),
                  legacy VARCHAR(20) CHARACTER SET latin1
                ) ENGINE=InnoDB CHARACTER SET utf8mb4""",
                """
                INSERT INTO shop.type_zoo VALUES
                (1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295,
                 -9223372036854775808, 18446744073709551615, -12345678901234567890123456789012345.123456789012345678901234567890,
                 -3.40282e38, 1.7976931348623157e308, '1000-01-01', '1000-01-01 00:00:00.000000',
                 '1970-01-01 00:00:01.000000', '-838:59:59.000000', 1901,
                 'a', '', '', 0x00000000, '', '', '[]', 'a', '', b'0', b'0', 'café'),
                (2, 127, 0, 32767, 0, 8388607, 0, 2147483647, 0, 9223372036854775807, 0,
                 99999999999999999999999999999999999.999999999999999999999999999999,
                 1.17549e-38, 2.2250738585072014e-308, '9999-12-31', '9999-12-31 23:59:59.999999',
                 '2038-01-19 03:14:07.999999', '838:59:59.000000', 2155,
                 'zzzzzzzzzz', 'emoji 🌊🐳 and 中文 and ''quotes'' and \\\\backslash', 'line1\\nline2\\ttab',
                 0xFFFFFFFF, 0x00FF00, 0xDEADBEEF, '{"k": [1, 2.5, "🌊"], "n": null}', 'c', 'x,y,z',
                 b'1', b'1111111111111111111111111111111111111111111111111111111111111111', 'grüße ¿½'),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
                 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)""",
                "CREATE TABLE shop.tmp_scratch (id INT PRIMARY KEY, junk VARCHAR(10))",
                "INSERT INTO shop.tmp_scratch SELECT seq, 'skip me' FROM seq_1_to_10");
    }

    /** inserts, updates, deletes and a DDL on the source, after the snapshot: replication must carry them all */
    static void writeMore(Connection c) throws SQLException {
        exec(c,
                "USE shop",
                """
                INSERT INTO shop.customers (name, email, country, created_at, balance)
                SELECT CONCAT('New customer ', seq, ' 🐳'), CONCAT('new', seq, '@example.com'), 'JP',
                       TIMESTAMP('2026-11-21') + INTERVAL seq SECOND, seq
                FROM seq_1_to_100""",
                "UPDATE shop.products SET price = price * 1.1, tags = 'sale' WHERE sku <= 'SKU-00050'",
                "DELETE FROM shop.order_items WHERE order_id BETWEEN 100 AND 199",
                "UPDATE shop.audit_log SET actor = 'auditor' WHERE actor IS NULL AND happened_at < '2025-01-10'",
                "ALTER TABLE shop.orders ADD COLUMN channel VARCHAR(20) NOT NULL DEFAULT 'web'",
                """
                INSERT INTO shop.orders (id, customer_id, ordered_at, total, note, channel)
                SELECT 100000 + seq, seq, TIMESTAMP('2026-11-21 12:00:00') + INTERVAL seq SECOND, seq * 2.5,
                       JSON_OBJECT('late', TRUE), 'app'
                FROM seq_1_to_500""",
                "UPDATE shop.type_zoo SET vc = 'changed ✔', u64 = 18446744073709551614, legacy = 'naïve Ø' WHERE id = 2");
    }
}

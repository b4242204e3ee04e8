#!/bin/bash
# The account Tidemark reads the source with: the privileges its prechecks ask for (README "The source account").
set -euo pipefail
mysql -uroot -p"$MYSQL_ROOT_PASSWORD" <<SQL
CREATE USER IF NOT EXISTS 'tidemark'@'%' IDENTIFIED BY '${TIDEMARK_SOURCE_PASSWORD}';
GRANT SELECT, RELOAD, LOCK TABLES, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'tidemark'@'%';
SQL

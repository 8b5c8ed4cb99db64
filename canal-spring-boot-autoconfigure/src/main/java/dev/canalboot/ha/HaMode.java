package dev.canalboot.ha;

/** How the instances of an application agree on the one that reads a source. */
public enum HaMode {

    /** Every instance reads the source (one instance per source is the deployment's own business). */
    NONE,

    /** A lock row in the application's DataSource (Spring Integration's JdbcLockRegistry) elects the reader. */
    JDBC,

    /** A ZooKeeper leader latch (Apache Curator) elects the reader. */
    ZOOKEEPER
}

/**
 * Embedded MySQL and MariaDB servers for tests and development: {@link dev.canalboot.embedded.EmbeddedMySql},
 * {@link dev.canalboot.embedded.EmbeddedMariaDb} and where their programs come from ({@link
 * dev.canalboot.embedded.MySqlDistribution}, {@link dev.canalboot.embedded.DebianMySqlPackages}). API of the
 * test-servers module; no Spring, no dependency on the starter.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.embedded;

import org.jspecify.annotations.NullMarked;

/**
 * Small JDBC helpers shared by the stores that keep state in a user's database (the JDBC checkpoint store and
 * the JDBC leader epochs). Unsupported: public only so that this project's feature packages can reach it, it may
 * change in any release. Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.jdbc;

import org.jspecify.annotations.NullMarked;

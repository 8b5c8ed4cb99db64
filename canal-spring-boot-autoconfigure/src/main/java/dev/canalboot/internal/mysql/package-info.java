/**
 * How MySQL and MariaDB write things as text, shared by the binlog source ({@code dev.canalboot.binlog})
 * and the Canal client ({@code dev.canalboot.canal}), which read the same server-written column types.
 * Depends on nothing else in the project, so both can use it without depending on each other.
 * Unsupported: public only so that this project's feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.mysql;

import org.jspecify.annotations.NullMarked;

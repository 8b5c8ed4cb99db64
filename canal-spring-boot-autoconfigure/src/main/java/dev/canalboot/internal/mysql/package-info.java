/**
 * How MySQL and MariaDB write things as text, shared by the binlog source ({@code dev.canalboot.binlog})
 * and the Canal client ({@code dev.canalboot.canal}), which read the same server-written column types.
 * Depends on nothing else in the project, so both can use it without depending on each other.
 */
package dev.canalboot.internal.mysql;

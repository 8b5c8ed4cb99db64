/**
 * How a listener method is called: parameter binding and the row to POJO mapping ({@link
 * dev.canalboot.listener.invoke.PojoRowMapper}). Used by the listener infrastructure; applications do not call it
 * directly and it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.listener.invoke;

import org.jspecify.annotations.NullMarked;

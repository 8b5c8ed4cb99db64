/**
 * High availability: one leader per source (Spring Integration's JDBC lock registry or Curator's leader latch),
 * epochs, the lease, the fenced checkpoint store and stopping a deposed leader's container. API: {@link
 * dev.canalboot.ha.HaMode} and {@link dev.canalboot.ha.HaRole}; the rest is configured by {@code ha.*} and may
 * change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.ha;

import org.jspecify.annotations.NullMarked;

/**
 * Test support for applications using the starter: {@link dev.canalboot.test.TestTable} and {@link
 * dev.canalboot.test.TestChangeSource} (changes without a server), {@link dev.canalboot.test.ChangeRecorder}
 * (what the listeners received), {@link dev.canalboot.test.CanalListenerTest} and {@link
 * dev.canalboot.test.EmbeddedCdcDatabase} (test contexts without and with an embedded server). API.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.test;

import org.jspecify.annotations.NullMarked;

/**
 * Spring Boot auto-configuration: the {@code @AutoConfiguration} classes, the {@code canal.*} properties ({@link
 * dev.canalboot.autoconfigure.CanalProperties}, {@link dev.canalboot.autoconfigure.SourceProperties}), {@link
 * dev.canalboot.autoconfigure.BinlogConnectionDetails} / {@link
 * dev.canalboot.autoconfigure.CanalConnectionDetails}, the source factories and failure analyzers; {@link
 * dev.canalboot.autoconfigure.SourceTypeKeys} declares which keys each source type takes. API: properties,
 * connection details and factories; applications configure the rest through properties and beans, not by calling
 * it.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.autoconfigure;

import org.jspecify.annotations.NullMarked;

/**
 * The binlog source's schema history: DDL parsed with Druid and applied to an in-memory model of the tables,
 * seeded and proved from the server and saved with each checkpoint ({@link
 * dev.canalboot.internal.binlog.schema.SchemaHistory}, the decoder's {@link
 * dev.canalboot.internal.binlog.schema.TableShapeResolver}). Unsupported: public only so that this project's
 * feature packages can reach it, it may change in any release.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.internal.binlog.schema;

import org.jspecify.annotations.NullMarked;

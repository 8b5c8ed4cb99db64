/**
 * The source-neutral change model every source produces and every listener receives: {@link
 * dev.canalboot.model.RowChange}, {@link dev.canalboot.model.Row}, {@link dev.canalboot.model.SchemaChange},
 * {@link dev.canalboot.model.TransactionBoundary}, {@link dev.canalboot.model.TableSchema} and {@link
 * dev.canalboot.model.ColumnType} (the one Java type mapping). API. Depends on nothing else of the project.
 * Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.canalboot.model;

import org.jspecify.annotations.NullMarked;

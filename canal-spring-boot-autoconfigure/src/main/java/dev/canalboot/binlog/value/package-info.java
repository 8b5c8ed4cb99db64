/**
 * Column values of row images. {@link dev.canalboot.binlog.value.TableDecoder} is built once per table map
 * and holds one {@link dev.canalboot.binlog.value.ValueDecoder} per column, so that rows decode straight from
 * the event buffer without per-value type dispatch. Java types follow
 * {@link dev.canalboot.model.ColumnType#javaType(dev.canalboot.model.Column)}.
 */
package dev.canalboot.binlog.value;

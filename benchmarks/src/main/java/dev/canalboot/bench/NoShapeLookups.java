package dev.canalboot.bench;

import dev.canalboot.internal.binlog.ColumnShape;
import dev.canalboot.internal.binlog.schema.TableShapeResolver;

import java.util.List;

/**
 * The shape resolver of a decoder fed with recorded or captured binlogs whose table maps carry full metadata: it
 * never needs to look columns up on a server.
 */
public final class NoShapeLookups implements TableShapeResolver {

    public static final TableShapeResolver INSTANCE = new NoShapeLookups();

    private NoShapeLookups() {
    }

    @Override
    public List<ColumnShape> columns(String schema, String table) {
        return List.of();
    }

    @Override
    public void invalidate(String schema, String table) {
    }
}

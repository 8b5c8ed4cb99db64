package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.RowChange;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which row changes a test waits for, saying itself in failure messages:
 * {@code RowChangeCondition.on("shop.orders").ofType(ChangeType.INSERT).with("id", 1L)}.
 */
public final class RowChangeCondition implements Predicate<RowChange> {

    private final @Nullable String table;
    private final @Nullable ChangeType type;
    private final List<@Nullable Object[]> values;

    private RowChangeCondition(@Nullable String table, @Nullable ChangeType type, List<@Nullable Object[]> values) {
        this.table = table;
        this.type = type;
        this.values = values;
    }

    /** Changes of {@code schema.table} (case-insensitive, as MySQL names usually are). */
    public static RowChangeCondition on(String qualifiedTable) {
        return new RowChangeCondition(qualifiedTable, null, List.of());
    }

    /** Row changes of any table. */
    public static RowChangeCondition any() {
        return new RowChangeCondition(null, null, List.of());
    }

    public RowChangeCondition ofType(ChangeType type) {
        return new RowChangeCondition(table, type, values);
    }

    /** The row as it is now ({@link RowChange#row()}: after image, or the before image of a DELETE) has {@code value}. */
    public RowChangeCondition with(String column, @Nullable Object value) {
        List<@Nullable Object[]> more = new ArrayList<>(values);
        more.add(new Object[]{column, value});
        return new RowChangeCondition(table, type, List.copyOf(more));
    }

    @Override
    public boolean test(RowChange change) {
        if (table != null && !table.equalsIgnoreCase(change.qualifiedTable())) {
            return false;
        }
        if (type != null && type != change.type()) {
            return false;
        }
        for (@Nullable Object[] expected : values) {
            String column = (String) expected[0];
            if (!change.row().has(column) || !Objects.deepEquals(expected[1], change.row().get(column))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(type == null ? "row change" : type.toString());
        sb.append(table == null ? " of any table" : " of " + table);
        for (@Nullable Object[] expected : values) {
            sb.append(sb.indexOf(" where ") < 0 ? " where " : " and ").append(expected[0]).append('=').append(expected[1]);
        }
        return sb.toString();
    }
}

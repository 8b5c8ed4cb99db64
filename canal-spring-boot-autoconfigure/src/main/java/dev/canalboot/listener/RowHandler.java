package dev.canalboot.listener;

/**
 * Typed handler for a bean annotated {@code @CanalListener} at class level. {@code T} is taken from the
 * implemented generic type: a POJO/record (mapped like a listener parameter), {@link dev.canalboot.model.Row}
 * or {@code Map<String, Object>}. Methods not overridden ignore that kind of change.
 */
public interface RowHandler<T> {

    default void onInsert(T row) throws Exception {
    }

    default void onUpdate(T before, T after) throws Exception {
    }

    default void onDelete(T row) throws Exception {
    }

    /**
     * A row read by a snapshot ({@link dev.canalboot.model.ChangeType#SNAPSHOT}): the row as it stands, to be
     * upserted. Defaults to {@link #onInsert}, so a handler that upserts on insert needs nothing more.
     */
    default void onSnapshot(T row) throws Exception {
        onInsert(row);
    }
}

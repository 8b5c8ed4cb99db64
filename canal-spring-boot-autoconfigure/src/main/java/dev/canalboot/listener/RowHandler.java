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
}

package dev.canalboot.listener.container;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;

import java.util.List;

/**
 * Calls one listener with arguments bound by a plan made at start-up. Exceptions thrown by the listener
 * come out unwrapped.
 */
public interface EndpointInvoker {

    /** What a listener receives. */
    enum Kind {
        /** One row change per call. */
        ROW,
        /** All matching row changes of one batch per call. */
        ROW_BATCH,
        /** Schema changes (DDL). */
        SCHEMA,
        /** Transaction BEGIN/COMMIT. */
        TRANSACTION
    }

    Kind kind();

    /** Delivers one event (any kind but {@link Kind#ROW_BATCH}). */
    void invoke(ChangeEvent event) throws Exception;

    /** Delivers the matching rows of one batch ({@link Kind#ROW_BATCH} only). */
    void invokeBatch(List<RowChange> rows) throws Exception;
}

package dev.canalboot.actuate;

import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.RowChange;
import io.micrometer.common.KeyValues;

import java.util.Locale;

/**
 * Observation {@code canal.listener}, span name {@code canal <listener id>}. Low-cardinality keys
 * (also meter tags): {@code canal.source}, {@code canal.listener}, {@code canal.listener.kind}.
 * High-cardinality keys (spans only): {@code canal.table}, {@code canal.position}, {@code canal.rows}.
 */
public class DefaultCanalListenerObservationConvention implements CanalListenerObservationConvention {

    public static final DefaultCanalListenerObservationConvention INSTANCE = new DefaultCanalListenerObservationConvention();

    @Override
    public String getName() {
        return "canal.listener";
    }

    @Override
    public String getContextualName(CanalListenerObservationContext context) {
        return "canal " + context.getEndpoint().id();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(CanalListenerObservationContext context) {
        return KeyValues.of("canal.source", context.getSource(),
                "canal.listener", context.getEndpoint().id(),
                "canal.listener.kind", context.getEndpoint().kind().name().toLowerCase(Locale.ROOT));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(CanalListenerObservationContext context) {
        ChangeEvent first = context.firstEvent();
        KeyValues values = KeyValues.empty();
        if (first instanceof RowChange row) {
            values = values.and("canal.table", row.qualifiedTable());
        }
        if (first != null) {
            values = values.and("canal.position", first.position().toString());
        }
        if (context.getRows() != null) {
            values = values.and("canal.rows", Integer.toString(context.getRows().size()));
        }
        return values;
    }
}

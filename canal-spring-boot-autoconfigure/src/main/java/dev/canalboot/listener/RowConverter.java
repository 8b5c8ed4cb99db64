package dev.canalboot.listener;

import dev.canalboot.model.Row;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionService;

import java.util.Map;
import java.util.function.Supplier;

/** Turns a row image into what a listener declared: the {@link Row}, a map, or a mapped POJO. */
@FunctionalInterface
interface RowConverter {

    /** @return the converted row, {@code null} for a {@code null} row */
    Object convert(Row row);

    /**
     * The converter for {@code type}, or {@code null} when it is none of Row, {@code Map<String, Object>}
     * or a mappable POJO.
     *
     * @throws IllegalArgumentException when the type looks meant as a row but cannot be used (says why)
     */
    static @Nullable RowConverter forType(ResolvableType type, Supplier<ConversionService> conversionService) {
        Class<?> raw = type.resolve();
        if (raw == null) {
            return null;
        }
        if (raw == Row.class) {
            return row -> row;
        }
        if (raw == Map.class) {
            Class<?> key = type.asMap().getGeneric(0).resolve(Object.class);
            Class<?> value = type.asMap().getGeneric(1).resolve(Object.class);
            if (key != String.class && key != Object.class || value != Object.class) {
                throw new IllegalArgumentException("a row map must be Map<String, Object>, not " + type);
            }
            return row -> row == null ? null : row.toMap();
        }
        if (PojoRowMapper.isMappable(raw)) {
            PojoRowMapper<?> mapper = PojoRowMapper.forType(raw, conversionService);
            return mapper::map;
        }
        return null;
    }
}

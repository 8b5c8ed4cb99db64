package dev.canalboot.listener;

import dev.canalboot.model.Column;
import dev.canalboot.model.Row;
import dev.canalboot.model.TableSchema;
import org.jspecify.annotations.Nullable;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Maps a {@link Row} onto a record (through its canonical constructor) or a class with a no-argument
 * constructor (through its fields). A property {@code orderNo} reads column {@code order_no}, else
 * {@code orderNo}, unless {@link CanalColumn} names the column. Values that are not already of the
 * property's type go through the {@link ConversionService}.
 * <p>
 * The property list is worked out once per type; which column feeds which property is worked out once
 * per {@link TableSchema} (a new schema version after DDL gets its own plan).
 */
public final class PojoRowMapper<T> {

    private final Class<T> type;
    private final List<Property> properties;
    private final Constructor<T> constructor;
    private final boolean record;
    private final Supplier<ConversionService> conversionService;
    private final Map<TableSchema, Plan> plans = new ConcurrentHashMap<>();
    /** Rows of one table arrive in runs: skip the map lookup while the schema stays the same. */
    private volatile Plan lastPlan;

    private PojoRowMapper(Class<T> type, List<Property> properties, Constructor<T> constructor, boolean record,
                          Supplier<ConversionService> conversionService) {
        this.type = type;
        this.properties = properties;
        this.constructor = constructor;
        this.record = record;
        this.conversionService = conversionService;
    }

    /** Whether {@code type} is a user type this mapper can fill (a record, or a class with a no-arg constructor). */
    public static boolean isMappable(Class<?> type) {
        if (type.isPrimitive() || type.isArray() || type.isEnum() || type.isInterface() || type.isAnnotation()
                || Modifier.isAbstract(type.getModifiers())) {
            return false;
        }
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jakarta.")
                || type.getPackageName().equals("dev.canalboot.model")) {
            return false;
        }
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return false;
        }
        if (type.isRecord()) {
            return true;
        }
        try {
            type.getDeclaredConstructor();
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /**
     * @throws IllegalArgumentException when {@code type} cannot be mapped (the message says why)
     */
    public static <T> PojoRowMapper<T> forType(Class<T> type, Supplier<ConversionService> conversionService) {
        if (!isMappable(type)) {
            throw new IllegalArgumentException(type.getName()
                    + " cannot be mapped from a row: use a record or a class with a no-argument constructor");
        }
        List<Property> properties = new ArrayList<>();
        Constructor<T> constructor;
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] parameterTypes = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                parameterTypes[i] = components[i].getType();
            }
            try {
                constructor = ReflectionUtils.accessibleConstructor(type, parameterTypes);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getName() + " has no canonical constructor", e);
            }
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                CanalColumn column = component.getAnnotation(CanalColumn.class);
                properties.add(new Property(component.getName(), column == null ? null : column.value(),
                        new TypeDescriptor(MethodParameter.forExecutable(constructor, i)), null));
            }
        } else {
            try {
                constructor = ReflectionUtils.accessibleConstructor(type);
            } catch (NoSuchMethodException e) {
                throw new IllegalArgumentException(type.getName() + " has no no-argument constructor", e);
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    int modifiers = field.getModifiers();
                    if (Modifier.isStatic(modifiers) || Modifier.isTransient(modifiers) || field.isSynthetic()) {
                        continue;
                    }
                    if (Modifier.isFinal(modifiers)) {
                        throw new IllegalArgumentException("field " + c.getSimpleName() + "." + field.getName()
                                + " is final and cannot be filled from a row: make it non-final or use a record");
                    }
                    ReflectionUtils.makeAccessible(field);
                    CanalColumn column = field.getAnnotation(CanalColumn.class);
                    properties.add(new Property(field.getName(), column == null ? null : column.value(),
                            new TypeDescriptor(field), field));
                }
            }
        }
        return new PojoRowMapper<>(type, List.copyOf(properties), constructor, type.isRecord(), conversionService);
    }

    public Class<T> type() {
        return type;
    }

    /** The mapped object, or {@code null} for a {@code null} row. */
    public @Nullable T map(Row row) {
        if (row == null) {
            return null;
        }
        TableSchema schema = row.schema();
        Plan plan = lastPlan;
        if (plan == null || plan.schema != schema) {
            plan = plans.computeIfAbsent(schema, this::plan);
            lastPlan = plan;
        }
        Object[] values = new Object[properties.size()];
        for (int i = 0; i < values.length; i++) {
            int column = plan.columns[i];
            if (column >= 0) {
                values[i] = value(row, column, i, plan.direct[i]);
            } else if (record && properties.get(i).primitive()) {
                values[i] = defaultPrimitive(properties.get(i).target.getType());
            }
        }
        try {
            if (record) {
                return constructor.newInstance(values);
            }
            T instance = constructor.newInstance();
            for (int i = 0; i < values.length; i++) {
                if (plan.columns[i] >= 0) {
                    properties.get(i).field.set(instance, values[i]);
                }
            }
            return instance;
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("Creating " + type.getName() + " from a row of " + schema.qualifiedName()
                    + " failed: " + e.getTargetException(), e.getTargetException());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Creating " + type.getName() + " from a row of " + schema.qualifiedName()
                    + " failed: " + e, e);
        }
    }

    private @Nullable Object value(Row row, int column, int propertyIndex, boolean direct) {
        Object value = row.get(column);
        Property property = properties.get(propertyIndex);
        if (value == null) {
            if (property.primitive()) {
                throw new IllegalArgumentException("Column " + row.schema().qualifiedName() + "."
                        + row.schema().column(column).name() + " is NULL but " + type.getSimpleName() + "."
                        + property.name + " is a primitive " + property.target.getType().getName());
            }
            return null;
        }
        if (direct || property.boxedType().isInstance(value)) {
            return value;
        }
        try {
            return conversionService.get().convert(value, TypeDescriptor.forObject(value), property.target);
        } catch (ConversionException e) {
            throw new IllegalArgumentException("Column " + row.schema().qualifiedName() + "."
                    + row.schema().column(column).name() + " holds a " + value.getClass().getName()
                    + " that cannot be converted to " + property.target + " for " + type.getSimpleName() + "."
                    + property.name + ": " + e.getMessage(), e);
        }
    }

    private Plan plan(TableSchema schema) {
        int[] columns = new int[properties.size()];
        boolean[] direct = new boolean[properties.size()];
        for (int i = 0; i < columns.length; i++) {
            Property property = properties.get(i);
            int index;
            if (property.column != null) {
                index = schema.indexOf(property.column);
                if (index < 0) {
                    throw new IllegalArgumentException("@CanalColumn(\"" + property.column + "\") on "
                            + type.getSimpleName() + "." + property.name + " names no column of "
                            + schema.qualifiedName() + "; columns are "
                            + schema.columns().stream().map(Column::name).toList());
                }
            } else {
                index = schema.indexOf(snakeCase(property.name));
                if (index < 0) {
                    index = schema.indexOf(property.name);
                }
            }
            columns[i] = index;
            direct[i] = index >= 0 && property.boxedType().isAssignableFrom(schema.column(index).javaType())
                    && property.target.getResolvableType().getGenerics().length == 0;
        }
        return new Plan(schema, columns, direct);
    }

    /** {@code orderNo} → {@code order_no}, {@code userID2} → {@code user_id2}. */
    static String snakeCase(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 4);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                boolean previousLowerOrDigit = i > 0 && !Character.isUpperCase(name.charAt(i - 1));
                boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
                boolean previousUpper = i > 0 && Character.isUpperCase(name.charAt(i - 1));
                if (previousLowerOrDigit || (previousUpper && nextLower)) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static Object defaultPrimitive(Class<?> type) {
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == float.class) {
            return 0f;
        }
        if (type == double.class) {
            return 0d;
        }
        if (type == byte.class) {
            return (byte) 0;
        }
        if (type == short.class) {
            return (short) 0;
        }
        return 0;
    }

    private record Property(String name, String column, TypeDescriptor target, Field field) {

        boolean primitive() {
            return target.getType().isPrimitive();
        }

        Class<?> boxedType() {
            return ClassUtils.resolvePrimitiveIfNecessary(target.getType());
        }
    }

    private record Plan(TableSchema schema, int[] columns, boolean[] direct) {
    }
}

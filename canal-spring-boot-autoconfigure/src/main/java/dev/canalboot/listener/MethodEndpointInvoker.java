package dev.canalboot.listener;

import dev.canalboot.listener.container.EndpointInvoker;
import dev.canalboot.model.ChangeEvent;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Row;
import dev.canalboot.model.RowChange;
import dev.canalboot.model.SchemaChange;
import dev.canalboot.model.SourcePosition;
import dev.canalboot.model.TableSchema;
import dev.canalboot.model.TransactionBoundary;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionService;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Calls a {@code @CanalListener} method. The parameters are analysed once, when the bean is created:
 * each gets a resolver that takes its argument from the event, so a call only resolves and invokes.
 */
public final class MethodEndpointInvoker implements EndpointInvoker {

    private static final String SUPPORTED = "supported are RowChange, ChangeType, SourcePosition, TableSchema, "
            + "a row image (Row, Map<String, Object>, a POJO or record), a single List<RowChange|Row|Map|POJO> "
            + "for a batch listener, or a single SchemaChange or TransactionBoundary";

    private final Object bean;
    private final Method method;
    private final Kind kind;
    private final List<Function<ChangeEvent, Object>> resolvers;
    /** Batch listeners only: converts each row change to the declared list element. */
    private final Function<RowChange, Object> elementConverter;

    private MethodEndpointInvoker(Object bean, Method method, Kind kind, List<Function<ChangeEvent, Object>> resolvers,
                                  Function<RowChange, Object> elementConverter) {
        this.bean = bean;
        this.method = Invocations.accessible(method);
        this.kind = kind;
        this.resolvers = Collections.unmodifiableList(new ArrayList<>(resolvers));
        this.elementConverter = elementConverter;
    }

    /**
     * @param bean      the bean to call (possibly a proxy)
     * @param declared  the annotated method, whose parameters are analysed
     * @param invocable the method to call on {@code bean} (same as {@code declared} unless proxied)
     * @param listener  {@code bean#method}, for error messages
     * @throws ListenerDeclarationException when a parameter cannot be bound
     */
    public static MethodEndpointInvoker create(Object bean, Method declared, Method invocable, String listener,
                                               Supplier<ConversionService> conversionService) {
        int count = declared.getParameterCount();
        if (count == 0) {
            throw new ListenerDeclarationException(listener, "declares no parameter; " + SUPPORTED);
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        List<Function<ChangeEvent, Object>> resolvers = new ArrayList<>(count);
        Function<RowChange, Object> elementConverter = null;
        Set<Class<?>> unannotatedImageTypes = new HashSet<>();
        for (int i = 0; i < count; i++) {
            MethodParameter parameter = new MethodParameter(declared, i);
            Class<?> type = parameter.getParameterType();
            boolean before = parameter.hasParameterAnnotation(BeforeImage.class);
            boolean after = parameter.hasParameterAnnotation(AfterImage.class);
            String where = "parameter " + i + " (" + parameter.getGenericParameterType().getTypeName() + ")";
            if (before && after) {
                throw new ListenerDeclarationException(listener, where + " is annotated both @BeforeImage and @AfterImage");
            }
            boolean image = false;
            if (type == SchemaChange.class) {
                kinds.add(Kind.SCHEMA);
                resolvers.add(event -> event);
            } else if (type == TransactionBoundary.class) {
                kinds.add(Kind.TRANSACTION);
                resolvers.add(event -> event);
            } else if (type == RowChange.class) {
                kinds.add(Kind.ROW);
                resolvers.add(event -> event);
            } else if (type == ChangeType.class) {
                kinds.add(Kind.ROW);
                resolvers.add(event -> ((RowChange) event).type());
            } else if (type == SourcePosition.class) {
                kinds.add(Kind.ROW);
                resolvers.add(ChangeEvent::position);
            } else if (type == TableSchema.class) {
                kinds.add(Kind.ROW);
                resolvers.add(event -> ((RowChange) event).tableSchema());
            } else if (type == List.class || type == Collection.class) {
                ResolvableType element = ResolvableType.forMethodParameter(parameter).asCollection().getGeneric(0);
                if (element.resolve() == null) {
                    throw new ListenerDeclarationException(listener, where
                            + " is a batch list without element type; declare e.g. List<RowChange>");
                }
                elementConverter = elementConverter(element, conversionService, listener, where);
                kinds.add(Kind.ROW_BATCH);
                resolvers.add(null);
                image = true;
            } else {
                RowConverter converter = rowConverter(ResolvableType.forMethodParameter(parameter), conversionService,
                        listener, where);
                if (converter == null) {
                    throw new ListenerDeclarationException(listener, where + " is not a supported parameter type; "
                            + SUPPORTED);
                }
                kinds.add(Kind.ROW);
                image = true;
                if (before) {
                    resolvers.add(event -> converter.convert(((RowChange) event).before()));
                } else if (after) {
                    resolvers.add(event -> converter.convert(((RowChange) event).after()));
                } else {
                    if (!unannotatedImageTypes.add(type)) {
                        throw new ListenerDeclarationException(listener, "declares several " + type.getSimpleName()
                                + " parameters without @BeforeImage/@AfterImage; annotate which is the before and "
                                + "which the after image");
                    }
                    resolvers.add(event -> converter.convert(((RowChange) event).row()));
                }
            }
            if ((before || after) && (!image || kinds.contains(Kind.ROW_BATCH))) {
                throw new ListenerDeclarationException(listener, where
                        + " is annotated @BeforeImage/@AfterImage but is not a row image (Row, Map, POJO)");
            }
        }
        if (kinds.size() > 1) {
            throw new ListenerDeclarationException(listener, "mixes parameters of different listener kinds "
                    + kinds + "; a listener receives either rows, a batch List, schema changes or transaction "
                    + "boundaries");
        }
        Kind kind = kinds.iterator().next();
        if (kind == Kind.ROW_BATCH && count > 1) {
            throw new ListenerDeclarationException(listener,
                    "is a batch listener (List parameter) and cannot declare other parameters");
        }
        if ((kind == Kind.SCHEMA || kind == Kind.TRANSACTION) && count > 1) {
            throw new ListenerDeclarationException(listener, "a " + (kind == Kind.SCHEMA ? "SchemaChange"
                    : "TransactionBoundary") + " listener must declare only that parameter");
        }
        return new MethodEndpointInvoker(bean, invocable, kind, resolvers, elementConverter);
    }

    private static RowConverter rowConverter(ResolvableType type, Supplier<ConversionService> conversionService,
                                             String listener, String where) {
        try {
            return RowConverter.forType(type, conversionService);
        } catch (IllegalArgumentException e) {
            throw new ListenerDeclarationException(listener, where + ": " + e.getMessage(), e);
        }
    }

    private static Function<RowChange, Object> elementConverter(ResolvableType element,
                                                                Supplier<ConversionService> conversionService,
                                                                String listener, String where) {
        if (element.resolve() == RowChange.class) {
            return row -> row;
        }
        RowConverter converter = rowConverter(element, conversionService, listener, where);
        if (converter == null) {
            throw new ListenerDeclarationException(listener, where + " has an unsupported element type; a batch "
                    + "listener takes List<RowChange>, List<Row>, List<Map<String, Object>> or a List of a POJO");
        }
        return row -> converter.convert(row.row());
    }

    @Override
    public Kind kind() {
        return kind;
    }

    @Override
    public void invoke(ChangeEvent event) throws Exception {
        Object[] args = new Object[resolvers.size()];
        for (int i = 0; i < args.length; i++) {
            args[i] = resolvers.get(i).apply(event);
        }
        Invocations.invoke(method, bean, args);
    }

    @Override
    public void invokeBatch(List<RowChange> rows) throws Exception {
        if (elementConverter == null) {
            throw new IllegalStateException(method + " is not a batch listener");
        }
        List<Object> converted = new ArrayList<>(rows.size());
        for (RowChange row : rows) {
            converted.add(elementConverter.apply(row));
        }
        Invocations.invoke(method, bean, Collections.unmodifiableList(converted));
    }

    @Override
    public String toString() {
        return method.toGenericString();
    }
}

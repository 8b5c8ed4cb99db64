package dev.canalboot.test;

import org.jspecify.annotations.Nullable;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

import java.util.List;

/** Finds {@link EmbeddedCdcDatabase} on a test class (registered in {@code META-INF/spring.factories}). */
class EmbeddedCdcDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
                                                     List<ContextConfigurationAttributes> configAttributes) {
        EmbeddedCdcDatabase annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
                EmbeddedCdcDatabase.class);
        return annotation == null ? null : new EmbeddedCdcDatabaseContextCustomizer(annotation);
    }
}

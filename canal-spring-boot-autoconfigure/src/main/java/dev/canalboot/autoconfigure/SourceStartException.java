package dev.canalboot.autoconfigure;

import dev.canalboot.source.SourceException;
import org.jspecify.annotations.Nullable;

/**
 * A source could not start for a reason retrying cannot fix, and {@code canal.fail-fast} is on: start-up fails
 * ({@link SourceStartFailureAnalyzer} explains it).
 */
public class SourceStartException extends RuntimeException {

    private final String sourceName;
    private final @Nullable String propertyPrefix;

    /**
     * @param propertyPrefix where the source is configured ({@code canal.source}, {@code canal.sources.x}), or null
     *                       for a ChangeSource bean of the application's own
     */
    public SourceStartException(String sourceName, @Nullable String propertyPrefix, SourceException cause) {
        super("Source '" + sourceName + "' could not start: " + cause.getMessage(), cause);
        this.sourceName = sourceName;
        this.propertyPrefix = propertyPrefix;
    }

    public String getSourceName() {
        return sourceName;
    }

    public @Nullable String getPropertyPrefix() {
        return propertyPrefix;
    }

    @Override
    public synchronized SourceException getCause() {
        return (SourceException) super.getCause();
    }
}

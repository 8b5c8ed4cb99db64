package dev.canalboot.listener.container;

/**
 * Adapts the {@link ContainerSettings} for the container of one source (e.g. a source that starts paused).
 * Beans of this type are applied in order to the shared settings when the containers are created.
 */
@FunctionalInterface
public interface ContainerSettingsCustomizer {

    ContainerSettings customize(String sourceName, ContainerSettings settings);
}

package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import dev.canalboot.source.ChangeSource;
import dev.canalboot.testsupport.InMemoryChangeSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.mock.env.MockEnvironment;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One {@code canalSource.<name>} bean per configured source, made by the factory of its type from the bound
 * properties; connection details alone make the default source. No server: the factory here is a test double.
 */
class ConfiguredSourcesRegistrarTest {

    private final MockEnvironment environment = new MockEnvironment();
    private final DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
    private final List<String> created = new ArrayList<>();

    /** Makes in-memory sources and remembers which source it was asked for, with which host. */
    private ChangeSourceFactory factory(SourceType type) {
        return new ChangeSourceFactory() {
            @Override
            public SourceType type() {
                return type;
            }

            @Override
            public ChangeSource create(String name, SourceProperties source, CanalProperties properties) {
                created.add(name + "@" + source.getHost() + ":" + source.getPort());
                return new InMemoryChangeSource(name);
            }
        };
    }

    private void register() {
        CanalProperties properties = Binder.get(environment).bind(CanalProperties.PREFIX, CanalProperties.class)
                .orElseGet(CanalProperties::new);
        beans.registerSingleton("canalProperties", properties);
        ConfiguredSourcesRegistrar registrar = new ConfiguredSourcesRegistrar();
        registrar.setEnvironment(environment);
        registrar.setBeanFactory(beans);
        registrar.registerBeanDefinitions(AnnotationMetadata.introspect(getClass()), beans);
    }

    private void binlogSource(String prefix, String host) {
        environment.setProperty(prefix + ".host", host);
        environment.setProperty(prefix + ".username", "repl");
        environment.setProperty(prefix + ".password", "pw");
    }

    @Test
    void eachConfiguredSourceIsABeanMadeByTheFactoryOfItsType() {
        binlogSource("canal.source", "db0");
        binlogSource("canal.sources.billing", "db1");
        beans.registerSingleton("binlogFactory", factory(SourceType.BINLOG));

        register();

        assertThat(beans.getBeanDefinitionNames()).contains("canalSource.default", "canalSource.billing");
        assertThat(beans.getBeansOfType(ChangeSource.class)).containsOnlyKeys("canalSource.default",
                "canalSource.billing");
        assertThat(created).containsExactlyInAnyOrder("default@db0:3306", "billing@db1:3306");
        assertThat(beans.getBean("canalSource.billing", ChangeSource.class).name()).isEqualTo("billing");
    }

    @Test
    void withoutSourcesThereAreNoSourceBeans() {
        register();

        assertThat(beans.getBeanNamesForType(ChangeSource.class)).isEmpty();
    }

    @Test
    void connectionDetailsAloneMakeTheDefaultSourceConnectWhereTheySay() {
        beans.registerSingleton("binlogFactory", factory(SourceType.BINLOG));
        beans.registerSingleton("details", new BinlogConnectionDetails() {
            @Override
            public String host() {
                return "details-host";
            }

            @Override
            public int port() {
                return 3399;
            }

            @Override
            public String username() {
                return "u";
            }

            @Override
            public String password() {
                return "p";
            }
        });

        register();
        ChangeSource source = beans.getBean("canalSource.default", ChangeSource.class);

        assertThat(source.name()).isEqualTo("default");
        assertThat(created).containsExactly("default@details-host:3399");
        assertThat(beans.getBean(CanalProperties.class).getSource().getHost())
                .as("set on the bound properties, for health and the endpoint").isEqualTo("details-host");
    }

    @Test
    void aSourceOfATypeWithoutFactoryFailsNamingItsTypePropertyAndTheTypesThereAre() {
        environment.setProperty("canal.sources.legacy.type", "canal");
        environment.setProperty("canal.sources.legacy.addresses", "canal1:11111");
        environment.setProperty("canal.sources.legacy.destination", "example");
        beans.registerSingleton("binlogFactory", factory(SourceType.BINLOG));

        register();

        assertThatThrownBy(() -> beans.getBean("canalSource.legacy"))
                .isInstanceOf(BeanCreationException.class)
                .rootCause().isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e -> {
                    assertThat(e.getProperty()).isEqualTo("canal.sources.legacy.type");
                    assertThat(e.getProblem()).contains("'legacy'").contains("type canal");
                    assertThat(e.getAction()).contains("[binlog]");
                });
        assertThat(created).isEmpty();
    }

    @Test
    void anInvalidSourceIsRefusedBeforeItsFactoryIsAsked() {
        environment.setProperty("canal.sources.billing.host", "db1");
        environment.setProperty("canal.sources.billing.username", "repl");
        beans.registerSingleton("binlogFactory", factory(SourceType.BINLOG));

        register();

        assertThatThrownBy(() -> beans.getBean("canalSource.billing"))
                .rootCause().isInstanceOfSatisfying(InvalidCanalConfigurationException.class, e ->
                        assertThat(e.getProperty()).isEqualTo("canal.sources.billing.password"));
        assertThat(created).isEmpty();
    }

    @Test
    void thePrefixIsTheSingleSourcesOnlyForTheDefaultSourceConfiguredThere() {
        CanalProperties properties = new CanalProperties();
        assertThat(ConfiguredSourcesRegistrar.prefixOf(properties, "default")).isEqualTo("canal.sources.default");
        assertThat(ConfiguredSourcesRegistrar.prefixOf(properties, "billing")).isEqualTo("canal.sources.billing");
        properties.setSource(new SourceProperties());
        assertThat(ConfiguredSourcesRegistrar.prefixOf(properties, "default")).isEqualTo("canal.source");
        assertThat(ConfiguredSourcesRegistrar.prefixOf(properties, "billing")).isEqualTo("canal.sources.billing");
    }
}

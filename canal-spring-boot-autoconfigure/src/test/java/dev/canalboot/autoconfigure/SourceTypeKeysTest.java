package dev.canalboot.autoconfigure;

import dev.canalboot.autoconfigure.SourceProperties.SourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Keys that do not apply to a source's type fail start-up naming the key, the source and the type. */
@ExtendWith(OutputCaptureExtension.class)
class SourceTypeKeysTest {

    @TempDir
    Path checkpoints;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(CanalAutoConfiguration.class))
                .withUserConfiguration(CanalAutoConfigurationTest.FactoryConfig.class)
                .withPropertyValues("canal.checkpoint.file.directory=" + checkpoints);
    }

    private static final String[] CANAL_SOURCE = {"canal.sources.legacy.addresses=canal1:11111",
            "canal.sources.legacy.destination=example"};
    private static final String[] BINLOG_SOURCE = {"canal.source.host=db1", "canal.source.username=repl",
            "canal.source.password=secret"};

    @Test
    void semiSyncOnACanalSourceFailsNamingTheKeyTheSourceAndTheType() {
        runner().withPropertyValues(CANAL_SOURCE).withPropertyValues("canal.sources.legacy.semi-sync=true")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.sources.legacy.semi-sync'")
                            .contains("Key 'semi-sync' does not apply to source 'legacy' of type canal")
                            .contains("a key of binlog sources");
                    assertThat(analysis.getAction()).contains("Remove canal.sources.legacy.semi-sync,")
                            .contains("set canal.sources.legacy.type to binlog")
                            .contains("The keys of a canal source: type, batch-size")
                            .contains("destination");
                });
    }

    @Test
    void relaxedNamesAreRecognisedToo() {
        runner().withPropertyValues(CANAL_SOURCE).withPropertyValues("canal.sources.legacy.semiSync=true")
                .run(context -> assertThat(FailureAnalysisSupport.analyze(context.getStartupFailure())
                        .getDescription()).contains("'canal.sources.legacy.semi-sync'"));
    }

    @Test
    void aCanalGroupOnABinlogSourceIsNamedAsAGroup() {
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.upstream.host=db2")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.source.upstream'")
                            .contains("source 'default' of type binlog").contains("a key of canal sources");
                    assertThat(analysis.getAction()).contains("Remove canal.source.upstream.*,");
                });
    }

    @Test
    void theZooKeeperRegistryIsAGroupOfCanalSourcesOnly() {
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.type=binlog",
                        "canal.source.zookeeper.connect-string=zk1:2181")
                .run(context -> {
                    FailureAnalysis analysis = FailureAnalysisSupport.analyze(context.getStartupFailure());
                    assertThat(analysis.getDescription()).contains("'canal.source.zookeeper'")
                            .contains("source 'default' of type binlog").contains("a key of canal sources");
                    assertThat(analysis.getAction()).contains("Remove canal.source.zookeeper.*,");
                });
    }

    @Test
    void keysOfBothTypesAndCommonKeysAreAccepted() {
        runner().withPropertyValues(CANAL_SOURCE).withPropertyValues("canal.sources.legacy.username=canal",
                        "canal.sources.legacy.read-timeout=5s", "canal.sources.legacy.reconnect.max-attempts=3",
                        "canal.sources.legacy.batch-size=10")
                .run(context -> assertThat(context).hasNotFailed());
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.ssl.mode=disabled",
                        "canal.source.semi-sync=true", "canal.source.start.mode=earliest")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aKeyOfNoTypeIsLoggedNotFatal(CapturedOutput output) {
        runner().withPropertyValues(BINLOG_SOURCE).withPropertyValues("canal.source.semi-synk=true")
                .run(context -> assertThat(context).hasNotFailed());
        assertThat(output).contains("Source 'default' (canal.source): canal.source.semisynk is no key of any source"
                + " type and is ignored");
    }

    @Test
    void everyTypeHasItsKeysAndNoneOfTheOthersOwn() {
        assertThat(SourceTypeKeys.keysOf(SourceType.BINLOG)).contains("host", "ssl", "semi-sync", "reconnect")
                .doesNotContain("addresses", "upstream");
        assertThat(SourceTypeKeys.keysOf(SourceType.CANAL)).contains("addresses", "upstream", "username", "reconnect")
                .doesNotContain("host", "ssl", "semi-sync");
    }

    /** A new key or nested group of SourceProperties needs its one line in SourceTypeKeys: this says which. */
    @Test
    void everySourcePropertyIsDeclaredForSomeType() {
        List<String> undeclared = new ArrayList<>();
        Set<String> declared = new java.util.HashSet<>();
        for (SourceType type : SourceType.values()) {
            declared.addAll(SourceTypeKeys.keysOf(type));
        }
        for (Field field : SourceProperties.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            String key = field.getName().replaceAll("([A-Z])", "-$1").toLowerCase();
            if (!declared.contains(key)) {
                undeclared.add(key);
            }
        }
        assertThat(undeclared).as("SourceProperties keys without a line in SourceTypeKeys").isEmpty();
    }
}

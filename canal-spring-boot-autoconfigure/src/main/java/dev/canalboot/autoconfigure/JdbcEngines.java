package dev.canalboot.autoconfigure;

import dev.canalboot.ha.HaEngine;
import dev.canalboot.ha.JdbcHaEngine;

import javax.sql.DataSource;

/** Touches Spring Integration's classes only when called (after the class path was checked). */
final class JdbcEngines {

    private JdbcEngines() {
    }

    static HaEngine create(DataSource dataSource, CanalHaProperties properties, String instanceId) {
        return new JdbcHaEngine(dataSource, properties.getJdbc().getTablePrefix(), instanceId,
                properties.getJdbc().getLease());
    }
}

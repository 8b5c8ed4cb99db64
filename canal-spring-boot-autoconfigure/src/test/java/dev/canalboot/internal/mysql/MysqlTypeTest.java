package dev.canalboot.internal.mysql;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Column type codes and the table map metadata sizes documented for Table_map_log_event. */
class MysqlTypeTest {

    @Test
    void codesAreMySqlsEnumFieldTypes() {
        assertThat(MysqlType.DECIMAL).isZero();
        assertThat(MysqlType.LONGLONG).isEqualTo(8);
        assertThat(MysqlType.VARCHAR).isEqualTo(15);
        assertThat(MysqlType.TIME2).isEqualTo(19);
        assertThat(MysqlType.JSON).isEqualTo(245);
        assertThat(MysqlType.NEWDECIMAL).isEqualTo(246);
        assertThat(MysqlType.STRING).isEqualTo(254);
        assertThat(MysqlType.GEOMETRY).isEqualTo(255);
    }

    @Test
    void metadataSizesFollowTheTableMapDocumentation() {
        for (int type : new int[] {MysqlType.DECIMAL, MysqlType.TINY, MysqlType.SHORT, MysqlType.LONG,
                MysqlType.NULL, MysqlType.TIMESTAMP, MysqlType.LONGLONG, MysqlType.INT24, MysqlType.DATE,
                MysqlType.TIME, MysqlType.DATETIME, MysqlType.YEAR, MysqlType.NEWDATE}) {
            assertThat(MysqlType.metadataLength(type)).as(MysqlType.name(type)).isZero();
        }
        for (int type : new int[] {MysqlType.FLOAT, MysqlType.DOUBLE, MysqlType.BLOB, MysqlType.TINY_BLOB,
                MysqlType.MEDIUM_BLOB, MysqlType.LONG_BLOB, MysqlType.GEOMETRY, MysqlType.JSON,
                MysqlType.TIMESTAMP2, MysqlType.DATETIME2, MysqlType.TIME2, MysqlType.VECTOR}) {
            assertThat(MysqlType.metadataLength(type)).as(MysqlType.name(type)).isEqualTo(1);
        }
        for (int type : new int[] {MysqlType.VARCHAR, MysqlType.VAR_STRING, MysqlType.BIT, MysqlType.NEWDECIMAL,
                MysqlType.STRING, MysqlType.ENUM, MysqlType.SET}) {
            assertThat(MysqlType.metadataLength(type)).as(MysqlType.name(type)).isEqualTo(2);
        }
    }

    @Test
    void numericColumnsAreTheOnesWithASignednessBit() {
        Set<Integer> numeric = Set.of(MysqlType.TINY, MysqlType.SHORT, MysqlType.INT24, MysqlType.LONG,
                MysqlType.LONGLONG, MysqlType.FLOAT, MysqlType.DOUBLE, MysqlType.NEWDECIMAL, MysqlType.DECIMAL);
        for (int type = 0; type < 256; type++) {
            assertThat(MysqlType.isNumeric(type)).as("type %d", type).isEqualTo(numeric.contains(type));
        }
        assertThat(MysqlType.isNumeric(MysqlType.YEAR)).isFalse();
        assertThat(MysqlType.isNumeric(MysqlType.BIT)).isFalse();
    }

    @Test
    void characterColumnsAreStringsAndBlobs() {
        Set<Integer> character = Set.of(MysqlType.STRING, MysqlType.VARCHAR, MysqlType.VAR_STRING, MysqlType.BLOB,
                MysqlType.TINY_BLOB, MysqlType.MEDIUM_BLOB, MysqlType.LONG_BLOB);
        for (int type = 0; type < 256; type++) {
            assertThat(MysqlType.isCharacter(type)).as("type %d", type).isEqualTo(character.contains(type));
        }
        assertThat(MysqlType.isEnumOrSet(MysqlType.ENUM)).isTrue();
        assertThat(MysqlType.isEnumOrSet(MysqlType.SET)).isTrue();
        assertThat(MysqlType.isEnumOrSet(MysqlType.STRING)).as("the binlog type of ENUM; the real type decides")
                .isFalse();
    }

    @Test
    void everyDecodedTypeHasItsConstantsName() throws IllegalAccessException {
        Set<String> names = new HashSet<>();
        for (Field f : MysqlType.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType() != int.class) {
                continue;
            }
            int code = f.getInt(null);
            assertThat(MysqlType.name(code)).isEqualTo(f.getName());
            assertThat(names.add(MysqlType.name(code))).isTrue();
        }
        assertThat(MysqlType.name(100)).isEqualTo("TYPE_100");
    }
}

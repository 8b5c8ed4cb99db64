package dev.canalboot.internal.mysql;

import dev.canalboot.canal.CanalValueConverter;
import dev.canalboot.canal.MySqlTypeText;
import dev.canalboot.model.ChangeType;
import dev.canalboot.model.Column;
import dev.canalboot.model.ColumnType;
import dev.canalboot.model.ZeroDatePolicy;
import dev.canalboot.relay.CanalColumnText;
import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** MySQL 9's VECTOR values: little-endian 4-byte floats, and their way through Canal's text form. */
class VectorsTest {

    @Test
    void bytesAreLittleEndianFloats() {
        byte[] bytes = {0, 0, (byte) 0xc0, 0x3f, 0, 0, 0, (byte) 0xc0}; // 1.5f, -2.0f
        assertThat(Vectors.fromBytes(bytes, "v")).containsExactly(1.5f, -2f);
        assertThat(Vectors.toBytes(new float[] {1.5f, -2f})).containsExactly(bytes);
        assertThat(Vectors.fromBytes(new byte[0], "v")).isEmpty();
    }

    @Test
    void aLengthThatIsNotWholeFloatsNamesTheColumn() {
        assertThatIllegalArgumentException().isThrownBy(() -> Vectors.fromBytes(new byte[6], "embedding"))
                .withMessageContaining("embedding").withMessageContaining("6 bytes");
    }

    @Test
    void typeTextNamesTheVectorAndItsDimension() {
        MySqlTypeText type = MySqlTypeText.parse("vector(768)");
        assertThat(type.type()).isEqualTo(ColumnType.VECTOR);
        assertThat(type.length()).isEqualTo(768);
        assertThat(type.text()).isEqualTo("vector(768)");
        assertThat(ColumnType.javaType(column())).isEqualTo(float[].class);
    }

    @Test
    void canalTextRoundTripsThroughTheConverter() {
        Column column = column();
        float[] value = {0f, -0f, 1e-30f, 3.25e10f, Float.MIN_VALUE};
        CanalColumnText text = new CanalColumnText(ZoneOffset.UTC);
        String written = text.value(column, value);
        Object read = new CanalValueConverter(ZoneOffset.UTC, ZeroDatePolicy.NULL).convert(column, written, false);
        assertThat((float[]) read).containsExactly(value);
        assertThat(CanalColumnText.sqlType(column, ChangeType.INSERT)).isEqualTo(Types.BLOB);
    }

    private static Column column() {
        return new Column("v", 0, ColumnType.VECTOR, false, 3, 0, null, false, List.of());
    }
}

package dev.canalboot.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our descriptors against Canal 1.1.7's, structurally and in both directions: every message, field and enum
 * value of one side must exist on the other with the same number, type, label, presence and default.
 * Package names are the only intended difference (the wire does not carry them).
 */
class DescriptorCompatibilityTest {

    @ParameterizedTest
    @EnumSource(ProtoPair.class)
    void sameSyntax(ProtoPair pair) {
        assertThat(syntax(pair.ours)).isEqualTo(syntax(pair.theirs));
    }

    @ParameterizedTest
    @EnumSource(ProtoPair.class)
    void sameMessagesAndFields(ProtoPair pair) {
        Map<String, String> ours = fieldsByMessageAndNumber(pair.ours.getMessageTypes());
        Map<String, String> theirs = fieldsByMessageAndNumber(pair.theirs.getMessageTypes());

        assertThat(ours).as("fields of %s", pair).isNotEmpty().containsExactlyInAnyOrderEntriesOf(theirs);
    }

    @ParameterizedTest
    @EnumSource(ProtoPair.class)
    void sameEnumsAndValues(ProtoPair pair) {
        Map<String, Integer> ours = enumValues(pair.ours);
        Map<String, Integer> theirs = enumValues(pair.theirs);

        assertThat(ours).as("enum values of %s", pair).isNotEmpty().containsExactlyInAnyOrderEntriesOf(theirs);
    }

    @ParameterizedTest
    @EnumSource(ProtoPair.class)
    void generatedEnumConstantsCarryCanalNumbers(ProtoPair pair) {
        for (EnumDescriptor ourEnum : pair.ours.getEnumTypes()) {
            EnumDescriptor theirEnum = pair.theirs.findEnumTypeByName(ourEnum.getName());
            for (EnumValueDescriptor ourValue : ourEnum.getValues()) {
                assertThat(theirEnum.findValueByNumber(ourValue.getNumber()))
                        .as("%s.%s", ourEnum.getName(), ourValue.getName())
                        .extracting(EnumValueDescriptor::getName)
                        .isEqualTo(ourValue.getName());
            }
        }
    }

    private static String syntax(FileDescriptor file) {
        String declared = file.toProto().getSyntax();
        return declared.isEmpty() ? "proto2" : declared;
    }

    /** "Message.number" to a description of everything about the field that matters on the wire and in the API. */
    private static Map<String, String> fieldsByMessageAndNumber(List<Descriptor> messages) {
        Map<String, String> fields = new TreeMap<>();
        for (Descriptor message : messages) {
            assertThat(message.getNestedTypes()).as("nested messages of %s", message.getName()).isEmpty();
            assertThat(message.getEnumTypes()).as("nested enums of %s", message.getName()).isEmpty();
            for (FieldDescriptor field : message.getFields()) {
                fields.put(message.getName() + "." + field.getNumber(), describe(field));
            }
        }
        return fields;
    }

    private static String describe(FieldDescriptor field) {
        String typeName = switch (field.getJavaType()) {
            case MESSAGE -> field.getMessageType().getName();
            case ENUM -> field.getEnumType().getName() + (field.getEnumType().isClosed() ? " closed" : " open");
            default -> "";
        };
        String oneof = field.getRealContainingOneof() == null ? "" : field.getRealContainingOneof().getName();
        String defaultValue = field.toProto().hasDefaultValue() ? field.toProto().getDefaultValue() : "";
        return "name=" + field.getName()
                + " type=" + field.getType() + " " + typeName
                + " label=" + (field.isRepeated() ? "repeated" : field.isRequired() ? "required" : "optional")
                + " packed=" + field.isPacked()
                + " presence=" + field.hasPresence()
                + " oneof=" + oneof
                + " default=" + defaultValue;
    }

    private static Map<String, Integer> enumValues(FileDescriptor file) {
        Map<String, Integer> values = new TreeMap<>();
        for (EnumDescriptor enumType : file.getEnumTypes()) {
            for (EnumValueDescriptor value : enumType.getValues()) {
                values.put(enumType.getName() + "." + value.getName(), value.getNumber());
            }
        }
        return values;
    }

    @Test
    void bothCanalFilesAreCovered() {
        assertThat(ProtoPair.values()).extracting(pair -> pair.theirs.getName())
                .containsExactlyInAnyOrder("EntryProtocol.proto", "CanalProtocol.proto");
    }
}

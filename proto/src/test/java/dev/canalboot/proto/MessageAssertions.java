package dev.canalboot.proto;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares two messages generated from different .proto files (ours and Canal's) field by field, matching
 * fields by number, since neither side's equals() knows the other's classes.
 */
final class MessageAssertions {

    private MessageAssertions() {
    }

    static void assertSameContent(Message expected, Message actual) {
        assertSameContent(expected, actual, expected.getDescriptorForType().getName());
    }

    private static void assertSameContent(Message expected, Message actual, String path) {
        Descriptor expectedType = expected.getDescriptorForType();
        Descriptor actualType = actual.getDescriptorForType();
        assertThat(actualType.getName()).as("message type at %s", path).isEqualTo(expectedType.getName());
        assertThat(actual.getUnknownFields().asMap()).as("fields %s did not recognise", path).isEmpty();
        assertThat(actualType.getFields()).as("field count of %s", path).hasSameSizeAs(expectedType.getFields());

        for (FieldDescriptor expectedField : expectedType.getFields()) {
            String fieldPath = path + "." + expectedField.getName();
            FieldDescriptor actualField = actualType.findFieldByNumber(expectedField.getNumber());
            assertThat(actualField).as("field number %d (%s)", expectedField.getNumber(), fieldPath).isNotNull();

            if (expectedField.isRepeated()) {
                int count = expected.getRepeatedFieldCount(expectedField);
                assertThat(actual.getRepeatedFieldCount(actualField)).as("element count of %s", fieldPath)
                        .isEqualTo(count);
                for (int i = 0; i < count; i++) {
                    assertSameValue(expected.getRepeatedField(expectedField, i),
                            actual.getRepeatedField(actualField, i), fieldPath + "[" + i + "]");
                }
                continue;
            }
            if (expectedField.hasPresence()) {
                assertThat(actual.hasField(actualField)).as("presence of %s", fieldPath)
                        .isEqualTo(expected.hasField(expectedField));
            }
            assertSameValue(expected.getField(expectedField), actual.getField(actualField), fieldPath);
        }
    }

    private static void assertSameValue(Object expected, Object actual, String path) {
        if (expected instanceof Message expectedMessage) {
            assertThat(actual).as(path).isInstanceOf(Message.class);
            assertSameContent(expectedMessage, (Message) actual, path);
        } else if (expected instanceof EnumValueDescriptor expectedEnum) {
            assertThat(actual).as(path).isInstanceOf(EnumValueDescriptor.class);
            EnumValueDescriptor actualEnum = (EnumValueDescriptor) actual;
            assertThat(actualEnum.getNumber()).as("enum number of %s", path).isEqualTo(expectedEnum.getNumber());
            assertThat(actualEnum.getName()).as("enum name of %s", path).isEqualTo(expectedEnum.getName());
        } else {
            assertThat(actual).as(path).isEqualTo(expected);
        }
    }
}

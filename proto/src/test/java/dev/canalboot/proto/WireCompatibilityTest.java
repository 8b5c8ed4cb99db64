package dev.canalboot.proto;

import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.canalboot.proto.MessageAssertions.assertSameContent;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every message type, written by one side (our generated classes or Canal 1.1.7's) and parsed by the other,
 * comes back with the same content and re-serializes to the same bytes.
 */
class WireCompatibilityTest {

    enum Direction {
        OURS_TO_CANAL, CANAL_TO_OURS;

        Message.Builder writerBuilder(ProtoPair pair, String messageName) {
            return this == OURS_TO_CANAL ? pair.newOurBuilder(messageName) : pair.newTheirBuilder(messageName);
        }

        byte[] write(ProtoPair pair, Message content) {
            return this == OURS_TO_CANAL ? content.toByteArray() : pair.writeWithTheirs(content);
        }

        Message read(ProtoPair pair, String messageName, byte[] wire) {
            return this == OURS_TO_CANAL ? pair.readWithTheirs(messageName, wire) : pair.parseOurs(messageName, wire);
        }
    }

    static Stream<Arguments> everyMessage() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtoPair pair : ProtoPair.values()) {
            for (String messageName : pair.messageNames()) {
                for (Direction direction : Direction.values()) {
                    cases.add(Arguments.of(direction, pair, messageName));
                }
            }
        }
        return cases.stream();
    }

    /** Each top-level enum field of each message, once per declared value of its enum. */
    static Stream<Arguments> everyEnumValueOfEveryEnumField() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtoPair pair : ProtoPair.values()) {
            for (var message : pair.ours.getMessageTypes()) {
                for (FieldDescriptor field : message.getFields()) {
                    if (field.getJavaType() != FieldDescriptor.JavaType.ENUM) {
                        continue;
                    }
                    for (EnumValueDescriptor value : field.getEnumType().getValues()) {
                        for (Direction direction : Direction.values()) {
                            cases.add(Arguments.of(direction, pair, message.getName(), field.getName(),
                                    value.getName()));
                        }
                    }
                }
            }
        }
        return cases.stream();
    }

    /** Each singular field that tracks presence (proto2 optional, proto3 oneof wrapper, message). */
    static Stream<Arguments> everyFieldWithPresence() {
        List<Arguments> cases = new ArrayList<>();
        for (ProtoPair pair : ProtoPair.values()) {
            for (var message : pair.ours.getMessageTypes()) {
                for (FieldDescriptor field : message.getFields()) {
                    if (field.isRepeated() || !field.hasPresence()) {
                        continue;
                    }
                    for (Direction direction : Direction.values()) {
                        cases.add(Arguments.of(direction, pair, message.getName(), field.getName()));
                    }
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("everyMessage")
    void fullyPopulatedMessageCrosses(Direction direction, ProtoPair pair, String messageName) {
        Message written = MessageFiller.fillAll(direction.writerBuilder(pair, messageName), 1).build();
        assertThat(written.getAllFields()).as("fields the filler set on %s", messageName)
                .hasSameSizeAs(written.getDescriptorForType().getFields());

        assertCrosses(direction, pair, written);
    }

    @ParameterizedTest(name = "{0} {2}.{3}={4}")
    @MethodSource("everyEnumValueOfEveryEnumField")
    void everyEnumValueCrosses(Direction direction, ProtoPair pair, String messageName, String fieldName,
            String valueName) {
        Message.Builder builder = MessageFiller.fillAll(direction.writerBuilder(pair, messageName), 7);
        FieldDescriptor field = builder.getDescriptorForType().findFieldByName(fieldName);
        EnumValueDescriptor value = field.getEnumType().findValueByName(valueName);
        Message written = builder.setField(field, value).build();

        Message read = assertCrosses(direction, pair, written);

        EnumValueDescriptor readValue = (EnumValueDescriptor) read.getField(
                read.getDescriptorForType().findFieldByNumber(field.getNumber()));
        assertThat(readValue.getName()).isEqualTo(valueName);
        assertThat(readValue.getNumber()).isEqualTo(value.getNumber());
    }

    @ParameterizedTest(name = "{0} {2}.{3}")
    @MethodSource("everyFieldWithPresence")
    void fieldSetToItsDefaultStaysPresent(Direction direction, ProtoPair pair, String messageName,
            String fieldName) {
        Message.Builder builder = direction.writerBuilder(pair, messageName);
        FieldDescriptor field = builder.getDescriptorForType().findFieldByName(fieldName);
        Object defaultValue = field.getJavaType() == FieldDescriptor.JavaType.MESSAGE
                ? builder.newBuilderForField(field).build()
                : field.getDefaultValue();
        Message written = builder.setField(field, defaultValue).build();

        Message read = assertCrosses(direction, pair, written);

        assertThat(read.hasField(read.getDescriptorForType().findFieldByNumber(field.getNumber())))
                .as("%s.%s sent with its default value", messageName, fieldName).isTrue();
    }

    private static Message assertCrosses(Direction direction, ProtoPair pair, Message written) {
        String messageName = written.getDescriptorForType().getName();
        byte[] wire = direction.write(pair, written);

        Message read = direction.read(pair, messageName, wire);

        assertThat(read.getDescriptorForType().getFile()).isNotSameAs(written.getDescriptorForType().getFile());
        assertSameContent(written, read);
        assertThat(read.toByteArray()).as("%s re-serialized by the reading side", messageName).isEqualTo(wire);
        return read;
    }
}

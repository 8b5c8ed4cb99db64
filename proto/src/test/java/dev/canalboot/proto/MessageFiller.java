package dev.canalboot.proto;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;

import java.util.List;

/**
 * Sets every field of a generated message builder, through the descriptor only, so the same filler drives our
 * classes and Canal's. Values differ per field number and seed, so a field landing on the wrong number shows.
 */
final class MessageFiller {

    private static final int MAX_DEPTH = 8;

    private MessageFiller() {
    }

    /** Every field set to a non-default value; repeated fields get two distinct elements. */
    static Message.Builder fillAll(Message.Builder builder, int seed) {
        return fill(builder, seed, 0);
    }

    private static Message.Builder fill(Message.Builder builder, int seed, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("message nesting deeper than " + MAX_DEPTH + " at "
                    + builder.getDescriptorForType().getFullName());
        }
        for (FieldDescriptor field : builder.getDescriptorForType().getFields()) {
            if (field.isRepeated()) {
                builder.addRepeatedField(field, valueFor(builder, field, seed, depth));
                builder.addRepeatedField(field, valueFor(builder, field, seed + 1, depth));
            } else {
                builder.setField(field, valueFor(builder, field, seed, depth));
            }
        }
        return builder;
    }

    private static Object valueFor(Message.Builder owner, FieldDescriptor field, int seed, int depth) {
        int number = field.getNumber();
        int sign = number % 2 == 0 ? 1 : -1;
        return switch (field.getJavaType()) {
            case INT -> sign * (number * 100_003 + seed);
            case LONG -> sign * (number * 1_000_000_007_000L + seed);
            case FLOAT -> number + seed + 0.5f;
            case DOUBLE -> number + seed + 0.25d;
            case BOOLEAN -> true;
            case STRING -> field.getName() + "-" + seed + "-é中\uD83D\uDE00";
            case BYTE_STRING -> ByteString.copyFrom(new byte[] {0, (byte) 0xFF, (byte) number, (byte) seed, 0x7F});
            case ENUM -> lastValue(field);
            case MESSAGE -> fill(owner.newBuilderForField(field), seed + 1, depth + 1).build();
        };
    }

    /** The last declared value: never the default in Canal's enums, so it is always written on the wire. */
    static EnumValueDescriptor lastValue(FieldDescriptor enumField) {
        List<EnumValueDescriptor> values = enumField.getEnumType().getValues();
        return values.get(values.size() - 1);
    }
}

package spsn.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The storage classes torch.save names in its persistent ids ({@code torch.FloatStorage}, ...),
 * with their dtype, element size and, for floating-point types, the conversion to float32.
 */
enum TorchStorageType {
    FLOAT("FloatStorage", "float32", 4, true),
    DOUBLE("DoubleStorage", "float64", 8, true),
    HALF("HalfStorage", "float16", 2, true),
    BFLOAT16("BFloat16Storage", "bfloat16", 2, true),
    LONG("LongStorage", "int64", 8, false),
    INT("IntStorage", "int32", 4, false),
    SHORT("ShortStorage", "int16", 2, false),
    CHAR("CharStorage", "int8", 1, false),
    BYTE("ByteStorage", "uint8", 1, false),
    BOOL("BoolStorage", "bool", 1, false),
    COMPLEX_FLOAT("ComplexFloatStorage", "complex64", 8, false),
    COMPLEX_DOUBLE("ComplexDoubleStorage", "complex128", 16, false);

    private final String className;
    private final String dtype;
    private final int elementSize;
    private final boolean supported;

    TorchStorageType(String className, String dtype, int elementSize, boolean supported) {
        this.className = className;
        this.dtype = dtype;
        this.elementSize = elementSize;
        this.supported = supported;
    }

    /** The type for a pickled global such as {@code torch.FloatStorage}, or null if unknown. */
    static TorchStorageType forGlobal(String qualifiedName) {
        for (TorchStorageType type : values()) {
            if (qualifiedName.equals("torch." + type.className)) {
                return type;
            }
        }
        return null;
    }

    String dtype() {
        return dtype;
    }

    int elementSize() {
        return elementSize;
    }

    /** Whether {@link #toFloats} can convert this type (the floating-point ones). */
    boolean supported() {
        return supported;
    }

    /** Decodes {@code count} little-endian elements (torch writes little-endian) to float32. */
    float[] toFloats(byte[] bytes, int count) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        switch (this) {
            case FLOAT -> buffer.asFloatBuffer().get(values);
            case DOUBLE -> {
                for (int i = 0; i < count; i++) {
                    values[i] = (float) buffer.getDouble(8 * i);
                }
            }
            case HALF -> {
                for (int i = 0; i < count; i++) {
                    values[i] = halfToFloat(buffer.getShort(2 * i));
                }
            }
            case BFLOAT16 -> {
                // bfloat16 is the upper half of a float32.
                for (int i = 0; i < count; i++) {
                    values[i] = Float.intBitsToFloat((buffer.getShort(2 * i) & 0xffff) << 16);
                }
            }
            default -> throw new IllegalStateException(dtype + " is not a floating-point type");
        }
        return values;
    }

    /** IEEE 754 binary16 to float32, exact (Float.float16ToFloat needs Java 20). */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float32.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}

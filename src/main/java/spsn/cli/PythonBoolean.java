package spsn.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses the original's string booleans: True/False (lower case accepted too). */
public final class PythonBoolean implements ITypeConverter<Boolean> {

    @Override
    public Boolean convert(String value) {
        return switch (value) {
            case "True", "true" -> Boolean.TRUE;
            case "False", "false" -> Boolean.FALSE;
            default -> throw new TypeConversionException("'" + value + "' is not True or False");
        };
    }
}

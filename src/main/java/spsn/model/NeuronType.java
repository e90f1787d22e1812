package spsn.model;

import spsn.SpsnException;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The neuron models of the original, by their command-line names. */
public enum NeuronType {
    LIF("LIF"),
    SPSN_SB("SPSN-SB"),
    SPSN_GS("SPSN-GS"),
    NON_SPIKING("Non-Spiking");

    private final String cliName;

    NeuronType(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether hidden layers emit spikes (and so report firing rates). */
    public boolean spiking() {
        return this != NON_SPIKING;
    }

    public static NeuronType fromCliName(String name) {
        for (NeuronType type : values()) {
            if (type.cliName.equals(name)) {
                return type;
            }
        }
        throw SpsnException.usage("--neuron: unknown neuron '" + name + "'; choose one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(NeuronType::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

package spsn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import spsn.model.NeuronOptions;
import spsn.neuron.spike.Surrogate;

/**
 * The settings of one training run, the one schema of every flag: grouped records bound with
 * Jackson under the flags' names. The CLI fills it (spsn.cli.TrainOptions, whose defaults come
 * from here), checkpoints save it whole, results files write it as PARAMS ({@link Params}) and the
 * report reads PARAMS back into it. A new flag costs its component (and default) in one group
 * and its option in TrainOptions; a file written before it existed reads it as the default.
 */
public record RunSettings(
        DataSettings data,
        AugmentationSettings augmentation,
        NetworkSettings network,
        NeuronSettings neuron,
        TrainingSettings training,
        ValidationSettings validation,
        OutputSettings output,
        SessionSettings session) {

    /** Every flag's default (shift and scale still unresolved: they depend on the neuron). */
    public static final RunSettings DEFAULT = new RunSettings(DataSettings.DEFAULT, AugmentationSettings.DEFAULT,
            NetworkSettings.DEFAULT, NeuronSettings.DEFAULT, TrainingSettings.DEFAULT, ValidationSettings.NONE,
            OutputSettings.DEFAULT, SessionSettings.DEFAULT);

    /** Folder that receives results and model files: output_dir/dir. */
    public Path runDir() {
        String dir = output.dir();
        return dir.isEmpty() ? session.outputDir() : session.outputDir().resolve(dir);
    }

    /** The neurons' setup these settings ask for. */
    public NeuronOptions neuronOptions() {
        return new NeuronOptions(network.recurrent(), network.recurrentRelu(), neuron.learnTau(),
                neuron.spkThreshold(), Surrogate.of(Surrogate.Kind.byName(neuron.surrogate()),
                        neuron.surrogateScale()),
                neuron.perNeuron());
    }

    /** Every setting by name (see {@link SettingsJson}). */
    public ObjectNode flat() {
        return SettingsJson.flat(this);
    }

    /** Settings from {@link #flat}; absent names take their defaults. */
    public static RunSettings fromFlat(JsonNode flat) {
        return SettingsJson.fromFlat(flat);
    }
}

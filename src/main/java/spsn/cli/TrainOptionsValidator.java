package spsn.cli;

import spsn.SpsnException;
import spsn.model.NeuronType;
import spsn.train.LossMode;
import spsn.train.RunSettings;

import java.util.Set;

/** Checks every flag value and turns the options into {@link RunSettings}; errors name the flag. */
final class TrainOptionsValidator {

    private static final Set<String> DATASETS = Set.of("heidelberg", "synthetic");
    private static final Set<String> DEVICES = Set.of("auto", "cpu", "gpu");

    private TrainOptionsValidator() {
    }

    static RunSettings validate(TrainOptions o) {
        if (!DATASETS.contains(o.dataset)) {
            throw SpsnException.usage("--dataset: unknown dataset '" + o.dataset + "'; choose heidelberg or synthetic");
        }
        NeuronType neuron = NeuronType.fromCliName(o.neuron);
        LossMode lossMode = LossMode.fromCliName(o.lossMode);
        if (o.nbEpochs < 0 || (o.nbEpochs == 0 && o.loadModel == null)) {
            throw SpsnException.usage("--nb_epochs: must be a positive number of epochs, got " + o.nbEpochs
                    + " (0 is allowed only with --load_model, to test a saved model)");
        }
        positive("--batch_size", o.batchSize);
        positive("--hidden_size", o.hiddenSize);
        positive("--nb_layers", o.nbLayers);
        positive("--synthetic_train", o.syntheticTrain);
        positive("--synthetic_test", o.syntheticTest);
        positiveReal("--tau_mem", o.tauMem);
        positiveReal("--tau_syn", o.tauSyn);
        fraction("--h_shift", o.hShift);
        fraction("--scale", o.scale);
        if (!(o.regThr >= 0) || Double.isInfinite(o.regThr)) {
            throw SpsnException.usage("--reg_thr: must be 0 (off) or a positive number, got " + o.regThr);
        }
        if (o.testEvery < 0) {
            throw SpsnException.usage("--test_every: must be 0 (off) or a positive number of epochs, got " + o.testEvery);
        }
        if (!DEVICES.contains(o.device)) {
            throw SpsnException.usage("--device: unknown device '" + o.device + "'; choose auto, cpu or gpu");
        }
        if (!o.dir.isEmpty() && (o.dir.startsWith("/") || o.dir.contains(".."))) {
            throw SpsnException.usage("--dir: '" + o.dir + "' must be a relative sub-folder such as basic/");
        }
        return new RunSettings(o.seed, o.dataset, neuron, o.nbEpochs, o.tauMem, o.tauSyn, o.batchSize,
                o.hiddenSize, o.nbLayers, o.regThr, lossMode, o.dataAugmentation, o.hShift, o.scale, o.dir,
                o.saveModel, o.dataDir, o.outputDir, o.device, o.syntheticTrain, o.syntheticTest, o.loadModel,
                o.testEvery, o.progress);
    }

    private static void positive(String flag, int value) {
        if (value <= 0) {
            throw SpsnException.usage(flag + ": must be a positive integer, got " + value);
        }
    }

    private static void positiveReal(String flag, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw SpsnException.usage(flag + ": must be a positive number of seconds, got " + value);
        }
    }

    private static void fraction(String flag, double value) {
        if (!(value >= 0 && value < 1)) {
            throw SpsnException.usage(flag + ": must be in [0, 1), got " + value);
        }
    }
}

package spsn.train;

import spsn.model.NeuronType;

import java.nio.file.Path;

/**
 * Validated settings of one training run (what the command line asked for).
 *
 * @param seed null for an unseeded run
 * @param dataset "heidelberg" or "synthetic"
 * @param dir sub-folder of {@code outputDir}, as the original's --dir (may be empty)
 * @param device "auto", "cpu" or "gpu"
 * @param checkpointEvery write a checkpoint every this many epochs (0: only when interrupted)
 */
public record RunSettings(
        Long seed,
        String dataset,
        NeuronType neuron,
        int nbEpochs,
        double tauMem,
        double tauSyn,
        int batchSize,
        int hiddenSize,
        int nbLayers,
        double regThr,
        LossMode lossMode,
        boolean dataAugmentation,
        double hShift,
        double scale,
        String dir,
        boolean saveModel,
        Path dataDir,
        Path outputDir,
        String device,
        int syntheticTrain,
        int syntheticTest,
        Path loadModel,
        int testEvery,
        boolean progress,
        int checkpointEvery) {

    /** Folder that receives results and model files: outputDir/dir. */
    public Path runDir() {
        return dir.isEmpty() ? outputDir : outputDir.resolve(dir);
    }
}

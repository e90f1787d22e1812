package spsn.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/**
 * Flag values that cannot work, refused before anything runs: bench's flags follow training's
 * rules (exit 2), and a network too large for one tensor (exit 2) or for this machine's memory
 * (exit 1, with the estimate) is refused before the data is loaded.
 */
class LimitsTest {

    private static Cli.Result bench(String... flags) {
        String[] args = new String[flags.length + 1];
        args[0] = "bench";
        System.arraycopy(flags, 0, args, 1, flags.length);
        return Cli.run(args);
    }

    @Test
    void benchRepeatsMustBePositive() {
        bench("--repeats", "0").assertError(2, "--repeats: must be a positive integer, got 0");
    }

    @Test
    void benchBatchSizeMustBePositive() {
        bench("--batch_size", "0").assertError(2, "--batch_size: must be a positive integer, got 0");
    }

    @Test
    void benchDeviceMustBeKnown() {
        bench("--device", "tpu").assertError(2, "--device: unknown device 'tpu'; choose auto, cpu or gpu");
    }

    @Test
    void benchIntegrationMustBeKnown() {
        bench("--integration", "java,fft").assertError(2, "--integration: unknown path 'fft'; choose java or engine");
    }

    @Test
    void benchWarmupCannotBeNegative() {
        bench("--warmup", "-3").assertError(2, "--warmup: must be 0 or a positive integer, got -3");
    }

    @Test
    void benchNeuronsMustBeKnown() {
        bench("--neurons", "LIF,GRU").assertError(2, "unknown neuron 'GRU'");
    }

    @Test
    void aWeightMatrixBeyondOneTensorIsRefused() {
        Cli.Result result = Cli.run("--dataset", "synthetic", "--hidden_size", "46341", "--nb_layers", "2",
                "--batch_size", "1", "--nb_epochs", "1", "--progress", "False", "--output_dir", "target/never");
        if (result.code() == 1) {
            result.assertError(1, "needs at least", "GiB of memory"); // a machine below ~45 GB refuses it first
        } else {
            result.assertError(2, "--hidden_size 46341 --nb_layers 2", "46341 x 46341 weight matrix",
                    "2147488281 elements");
        }
    }

    @Test
    void aNetworkBeyondThisMachinesMemoryIsRefusedWithTheEstimate() {
        Cli.Result result = Cli.run("--dataset", "synthetic", "--hidden_size", "100000", "--nb_epochs", "1",
                "--progress", "False", "--output_dir", "target/never").assertError(1, "--hidden_size 100000",
                "this run needs at least", "GiB of memory", "but this machine has", "smaller --hidden_size");
        assertFalse(result.out().contains("synthetic"), "refused before loading: " + result.out());
    }
}

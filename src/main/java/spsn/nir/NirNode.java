package spsn.nir;

import java.util.Arrays;
import spsn.io.Tensor;

/**
 * The NIR primitives this tool writes and reads, with the parameter names, shapes and meanings
 * of NIR's {@code nir/ir/*.py}. Neuron parameters are per neuron (arrays of the layer's size);
 * times are in seconds (see docs/NIR.md).
 */
public sealed interface NirNode {

    /** NIR's type name, the node's {@code type} dataset. */
    String type();

    /** Marks where data enters the graph; {@code shape} as NIR's {@code Input.input_type["input"]}. */
    record Input(long[] shape) implements NirNode {
        public String type() {
            return "Input";
        }
    }

    /** Marks a graph output; {@code shape} as NIR's {@code Output.output_type["output"]}. */
    record Output(long[] shape) implements NirNode {
        public String type() {
            return "Output";
        }
    }

    /** y = W x + b with W [out, in] (NIR's Affine; a Linear is one with a zero bias). */
    record Affine(Tensor weight, Tensor bias) implements NirNode {
        public String type() {
            return "Affine";
        }

        public int outputs() {
            return (int) weight.shape()[0];
        }

        public int inputs() {
            return (int) weight.shape()[1];
        }
    }

    /**
     * Current-based LIF: tau_syn I' = -I + w_in S; tau_mem v' = (v_leak - v) + r I; a spike when
     * v &gt; v_threshold, then v = v_reset.
     */
    record CubaLif(double[] tauSyn, double[] tauMem, double[] r, double[] vLeak, double[] vThreshold,
                   double[] vReset, double[] wIn) implements NirNode {
        public String type() {
            return "CubaLIF";
        }

        public int size() {
            return tauSyn.length;
        }
    }

    /** Current-based leaky integrator: CubaLIF's two equations without threshold and reset. */
    record CubaLi(double[] tauSyn, double[] tauMem, double[] r, double[] vLeak, double[] wIn) implements NirNode {
        public String type() {
            return "CubaLI";
        }

        public int size() {
            return tauSyn.length;
        }
    }

    /** NIR's Threshold: z = 1 where the input exceeds {@code threshold} (strictly), else 0; no state. */
    record Threshold(double[] threshold) implements NirNode {
        public String type() {
            return "Threshold";
        }

        public int size() {
            return threshold.length;
        }
    }

    /** A node of a type this tool does not map (read from a file, so that messages can name it). */
    record Other(String type) implements NirNode {
    }

    /** n copies of {@code value}. */
    static double[] filled(int n, double value) {
        double[] a = new double[n];
        Arrays.fill(a, value);
        return a;
    }
}

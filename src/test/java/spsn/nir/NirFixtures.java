package spsn.nir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.io.TorchStateDictReader;

/** The fixtures of tools/nir/make_fixtures.py under src/test/resources/nir/. */
final class NirFixtures {

    static final double FIXED_TAU_SYN = 0.01;
    static final double FIXED_TAU_MEM = 0.03;

    private static final ObjectMapper JSON = new ObjectMapper();

    private NirFixtures() {
    }

    static Path file(String name) {
        URL url = NirFixtures.class.getResource("/nir/" + name);
        if (url == null) {
            throw new IllegalStateException("missing test resource nir/" + name
                    + ": run /usr/bin/python3 tools/nir/make_fixtures.py --nir <NIR checkout>");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String name) {
        try {
            return JSON.readTree(file(name).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixed LIF network, 20 -> 10 -> 10 -> 4 (tau_syn 0.01 s, tau_mem 0.03 s). */
    static StateDict fixedModel() {
        return TorchStateDictReader.read(file("fixed_model.pt"));
    }

    /** A state dict of the fixtures ({@code <name>.pt}). */
    static StateDict model(String name) {
        return TorchStateDictReader.read(file(name + ".pt"));
    }

    /** Our export of the fixed model. */
    static NirGraph fixedGraph() {
        return NirExport.graph(fixedModel(), spsn.model.NeuronType.LIF, FIXED_TAU_MEM, FIXED_TAU_SYN, "fixed_model.pt");
    }

    /** A model of make_fixtures.py ({@code <name>.pt}) with the export flags of its {@code <name>.expected.json}. */
    static TrainedModel trained(String name) {
        JsonNode flags = json(name + ".expected.json").get("flags");
        java.util.Map<String, String> f = new java.util.HashMap<>();
        for (int i = 0; i < flags.size(); i += 2) {
            f.put(flags.get(i).asText(), flags.get(i + 1).asText());
        }
        return TrainedModel.read(file(name + ".pt"), f.get("--neuron"), Double.valueOf(f.get("--tau_mem")),
                Double.valueOf(f.get("--tau_syn")), f.containsKey("--learn_tau") ? Boolean.valueOf(f.get("--learn_tau")) : null,
                f.containsKey("--recurrent_relu") ? Boolean.valueOf(f.get("--recurrent_relu")) : null, null,
                f.containsKey("--per_neuron") ? Boolean.valueOf(f.get("--per_neuron")) : null);
    }

    /** Our export of that model (learned decays as the engine computes sigmoids, as spsn export does). */
    static NirGraph exported(String name, NDManager manager) {
        return NirExport.graph(trained(name), raw -> spsn.model.LearnedDecay.decays(manager, raw.data(), raw.shape()), name + ".pt");
    }

    /** The fixed input x [B, T, in] of fixed_model.expected.json, which the other fixtures share. */
    static NDArray input(NDManager manager) {
        int[] shape = new int[3];
        float[] x = flat3(json("fixed_model.expected.json").get("x"), shape);
        return manager.create(x, new Shape(shape[0], shape[1], shape[2]));
    }

    /** x[b][t][i] of an expected.json as a flat float array [B, T, in] and its shape. */
    static float[] flat3(JsonNode array, int[] shape) {
        shape[0] = array.size();
        shape[1] = array.get(0).size();
        shape[2] = array.get(0).get(0).size();
        float[] out = new float[shape[0] * shape[1] * shape[2]];
        int k = 0;
        for (JsonNode a : array) {
            for (JsonNode b : a) {
                for (JsonNode c : b) {
                    out[k++] = (float) c.asDouble();
                }
            }
        }
        return out;
    }

    static double[] flat3d(JsonNode array) {
        int n = array.size() * array.get(0).size() * array.get(0).get(0).size();
        double[] out = new double[n];
        int k = 0;
        for (JsonNode a : array) {
            for (JsonNode b : a) {
                for (JsonNode c : b) {
                    out[k++] = c.asDouble();
                }
            }
        }
        return out;
    }

    /** x W^T + b for x [B, T, in]: [B, T, out], the Linear of layer {@code layer} of {@code model}. */
    static NDArray dense(NDManager manager, StateDict model, int layer, NDArray x) {
        return dense(manager, model, layer + ".fc.", x);
    }

    /** The same for the Linear map whose keys start with {@code prefix} ("0.fc.", "2.", ...). */
    static NDArray dense(NDManager manager, StateDict model, String prefix, NDArray x) {
        Tensor w = model.get(prefix + "weight");
        Tensor b = model.get(prefix + "bias");
        NDArray weight = manager.create(w.data(), new Shape(w.shape()));
        NDArray bias = manager.create(b.data(), new Shape(b.shape()));
        Shape s = x.getShape();
        return x.reshape(s.get(0) * s.get(1), s.get(2)).matMul(weight.transpose()).add(bias)
                .reshape(s.get(0), s.get(1), w.shape()[0]);
    }

    /** Every spike equal to the reference's, and some spikes at all. */
    static void assertSpikesEqual(String what, double[] want, NDArray spikes) {
        float[] got = spikes.toFloatArray();
        assertEquals(want.length, got.length, what);
        int differing = 0;
        int total = 0;
        for (int i = 0; i < got.length; i++) {
            differing += want[i] != got[i] ? 1 : 0;
            total += (int) want[i];
        }
        assertEquals(0, differing, what + ": spikes that differ from NIR's equations (of " + total + ")");
        assertTrue(total > 0, what + " fires");
    }

    /** |actual - expected| &le; tol * max |expected| everywhere (float32 against float64). */
    static void assertScaled(String what, double[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length, what);
        double scale = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(worst <= tol * scale, what + ": worst error " + worst + " against scale " + scale);
    }
}

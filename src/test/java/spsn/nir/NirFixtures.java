package spsn.nir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import spsn.io.StateDict;
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

    /** Our export of the fixed model. */
    static NirGraph fixedGraph() {
        return NirExport.graph(fixedModel(), spsn.model.NeuronType.LIF, FIXED_TAU_MEM, FIXED_TAU_SYN, "fixed_model.pt");
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
}

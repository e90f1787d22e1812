package spsn.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import spsn.io.StateDict;
import spsn.io.Tensor;
import spsn.io.TorchStateDictReader;
import spsn.io.TorchStateDictWriter;
import spsn.model.ForwardResult;
import spsn.model.ModelFiles;
import spsn.model.Network;
import spsn.model.NetworkConfig;
import spsn.model.NeuronOptions;
import spsn.model.NeuronType;
import spsn.neuron.CounterNoise;
import spsn.neuron.spike.Surrogate;
import spsn.train.LossMode;
import spsn.train.Losses;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Model files both ways (paralif/model_*.pt, written by torch.save from modules with ParaLIF's
 * structure): this port loads them and evaluates as the reference does (output, logits,
 * predictions, rates), and the file it writes for the same network has exactly the reference's
 * keys, order and shapes, buffers included. ParaLIF's plain LIF file loads as LIF-LT (same keys;
 * its fixed threshold 1 is relu(1)).
 */
class ParaLifModelFilesTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void offline() {
        System.setProperty("ai.djl.offline", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ParaLIF-D_ff", "ParaLIF-SD_rec", "ParaLIF-TD_recrelu_learntau", "LIF_rec"})
    void loadsEvaluatesAndWritesParaLifsKeys(String name) throws IOException {
        JsonNode spec;
        try (InputStream in = getClass().getResourceAsStream("/reference/paralif/model_" + name + ".json")) {
            spec = new ObjectMapper().readTree(in);
        }
        String neuron = spec.get("neuron").asText().equals("LIF") ? "LIF-LT" : spec.get("neuron").asText();
        NeuronOptions options = new NeuronOptions(spec.get("recurrent").asBoolean(),
                spec.get("recurrent_relu").asBoolean(), spec.get("learn_tau").asBoolean(),
                spec.get("spk_threshold").asDouble(), Surrogate.DEFAULT);
        NetworkConfig config = new NetworkConfig(NeuronType.fromCliName(neuron), spec.get("input_size").asInt(),
                spec.get("hidden_size").asInt(), spec.get("nb_layers").asInt(), spec.get("nb_class").asInt(),
                spec.get("tau_mem").asDouble(), spec.get("tau_syn").asDouble(), options);
        Path file = Path.of("src/test/resources/reference/paralif/model_" + name + ".pt");
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "paralif/model_" + name + ".npz");
             Network network = Network.create(manager, config, 1L)) {
            ModelFiles.load(network, TorchStateDictReader.read(file), file.toString());
            LossMode mode = LossMode.fromCliName(spec.get("loss_mode").asText());
            ForwardResult result = network.forward(fx.copy(manager, "x"), new CounterNoise(0));
            NDArray logits = Losses.logits(result, mode);
            Tolerance.assertScaled(name + " output", fx.f32("output"), result.output(), Tolerance.FORWARD);
            Tolerance.assertScaled(name + " logits", fx.f32("logits"), logits, Tolerance.FORWARD);
            assertArrayEquals(fx.raw("prediction").toLongArray(), logits.argMax(1).toLongArray(), name + " predictions");
            for (int i = 0; i < config.nbLayers(); i++) {
                Tolerance.assertScaled(name + " rate_" + i, fx.f32("rate_" + i), result.rates().get(i), Tolerance.FORWARD);
            }

            Path written = tmp.resolve("model.pt");
            TorchStateDictWriter.write(written, ModelFiles.toStateDict(network));
            StateDict ours = TorchStateDictReader.read(written);
            List<String> keys = new ArrayList<>();
            for (JsonNode entry : spec.get("state_dict")) {
                keys.add(entry.get("key").asText());
                long[] shape = new long[entry.get("shape").size()];
                for (int d = 0; d < shape.length; d++) {
                    shape[d] = entry.get("shape").get(d).asLong();
                }
                Tensor tensor = ours.get(entry.get("key").asText());
                assertArrayEquals(shape, tensor == null ? null : tensor.shape(), entry.get("key").asText() + " shape");
            }
            if (neuron.equals("LIF-LT")) {
                // ParaLIF's LIF holds its fixed threshold as a buffer, listed after nb_spike_per_neuron
                assertEquals(keys.stream().sorted().toList(), ours.keys().stream().sorted().toList(), name + " keys");
            } else {
                assertEquals(keys, ours.keys(), name + " keys in ParaLIF's order");
            }
            assertEquals(Arrays.asList(keys.toArray()).size(), ours.size());
        }
    }
}

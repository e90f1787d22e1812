package spsn.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.neuron.NoiseSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Serves a network fixture's noise_0, noise_1, ... in order. Each array is stored [B, T, H]; a
 * layer works time first and asks for [T', B, H], T' &ge; T being its padded length: it gets the
 * same values transposed, so element (b, t, h) always pairs with the reference's, followed by
 * 0.5 on the padded steps (which never reach a real step).
 */
final class FixtureNoise implements NoiseSource {

    private final Fixture fixture;
    private final List<String> keys;
    private int next;

    FixtureNoise(Fixture fixture) {
        this.fixture = fixture;
        this.keys = fixture.suffixes("noise_");
    }

    @Override
    public NDArray uniform(NDManager manager, Shape shape) {
        if (next >= keys.size()) {
            fail("the network drew more noise arrays than the reference (" + keys.size() + ")");
        }
        NDArray u = fixture.noiseCopy(manager, "noise_" + keys.get(next++));
        Shape stored = u.getShape();
        if (shape.equals(stored)) {
            return u;
        }
        if (stored.dimension() == 3 && shape.dimension() == 3 && shape.get(1) == stored.get(0)
                && shape.get(2) == stored.get(2) && shape.get(0) >= stored.get(1)) {
            NDArray timeMajor = u.transpose(1, 0, 2);
            long padding = shape.get(0) - stored.get(1);
            return padding == 0 ? timeMajor : timeMajor.pad(new Shape(0, 0, 0, 0, 0, padding), 0.5);
        }
        return fail("noise request " + next + " has shape " + shape + ", the reference drew " + stored);
    }

    int used() {
        return next;
    }

    int available() {
        return keys.size();
    }
}

package spsn.parity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import spsn.neuron.NoiseSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Serves a network fixture's noise_0, noise_1, ... in order. Each array is stored [B, T, H];
 * a layer that works with time on the last axis asks for [B, H, T] and gets the same values
 * transposed, so element (b, t, h) always pairs with the reference's.
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
        Shape timeLast = new Shape(stored.get(0), stored.get(2), stored.get(1));
        if (stored.dimension() == 3 && shape.equals(timeLast) && stored.get(1) != stored.get(2)) {
            return u.transpose(0, 2, 1);
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

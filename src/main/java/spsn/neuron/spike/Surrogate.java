package spsn.neuron.spike;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import spsn.neuron.Scalars;
import spsn.neuron.TempArrays;

import java.util.Locale;

/**
 * The Heaviside step H(x) = [x &gt; 0] with a smooth stand-in for its derivative, chosen by data
 * (ParaLIF's {@code SurrogateFunction}, snnTorch's {@code surrogate.*}):
 * <ul>
 *   <li>{@link Kind#FASTSIG}: dH/dx = 1/(k|x| + 1)^2, the derivative of x/(1 + k|x|), k = 100 by
 *       default (SuperSpike; SPSN's LIF);</li>
 *   <li>{@link Kind#ATAN}: dH/dx = (k/2)/(1 + (pi/2 k x)^2), the derivative of atan(pi/2 k x)/pi,
 *       k = 2 by default.</li>
 * </ul>
 * DJL has no custom autograd functions: the step is {@code f(x) + (H(x) - f(x)).stopGradient()},
 * exactly H(x) in value with f's gradient.
 */
public record Surrogate(Kind kind, float scale) {

    /** SPSN's and ParaLIF's default: fast sigmoid with k = 100. */
    public static final Surrogate DEFAULT = new Surrogate(Kind.FASTSIG, Kind.FASTSIG.defaultScale());

    /** The surrogate families, by ParaLIF's {@code surrogate_mode} names. */
    public enum Kind {
        FASTSIG(100f),
        ATAN(2f);

        private final float defaultScale;

        Kind(float defaultScale) {
            this.defaultScale = defaultScale;
        }

        public float defaultScale() {
            return defaultScale;
        }

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code name} ("fastsig" or "atan"), or null. */
        public static Kind byName(String name) {
            for (Kind kind : values()) {
                if (kind.cliName().equals(name)) {
                    return kind;
                }
            }
            return null;
        }
    }

    /** {@code kind} with {@code scale}, or its default scale when {@code scale} is null. */
    public static Surrogate of(Kind kind, Double scale) {
        return new Surrogate(kind, scale == null ? kind.defaultScale() : scale.floatValue());
    }

    /** The stand-in for dH/dx at {@code x} (what {@link #heaviside} passes back), in float32. */
    public float slope(float x) {
        return switch (kind) {
            case FASTSIG -> {
                float denominator = scale * Math.abs(x) + 1f;
                yield 1f / (denominator * denominator);
            }
            case ATAN -> {
                float angle = (float) (Math.PI / 2) * scale * x;
                yield scale / 2 / (1f + angle * angle);
            }
        };
    }

    /** values[i] = slope(values[i]) for i &lt; length: {@link #slope} in a loop the compiler can vectorise. */
    public void slopes(float[] values, int length) {
        switch (kind) {
            case FASTSIG -> {
                for (int i = 0; i < length; i++) {
                    float denominator = scale * Math.abs(values[i]) + 1f;
                    values[i] = 1f / (denominator * denominator);
                }
            }
            case ATAN -> {
                float factor = (float) (Math.PI / 2) * scale;
                float half = scale / 2;
                for (int i = 0; i < length; i++) {
                    float angle = factor * values[i];
                    values[i] = half / (1f + angle * angle);
                }
            }
        }
    }

    /** H(x) in value, this surrogate's gradient. */
    public NDArray heaviside(NDArray x) {
        try (TempArrays tmp = new TempArrays()) {
            NDArray smooth = switch (kind) {
                case FASTSIG -> {
                    NDArray denominator = tmp.add(tmp.add(Scalars.times(tmp.add(x.abs()), scale)).add(1f));
                    yield tmp.add(x.div(denominator));
                }
                case ATAN -> {
                    NDArray angle = tmp.add(tmp.add(Scalars.times(x, (float) (Math.PI / 2 * scale))).atan());
                    yield tmp.add(Scalars.times(angle, (float) (1 / Math.PI)));
                }
            };
            NDArray step = tmp.add(tmp.add(x.gt(0f)).toType(DataType.FLOAT32, false));
            return smooth.add(tmp.add(tmp.add(step.sub(smooth)).stopGradient()));
        }
    }
}

package spsn.neuron;

import ai.djl.ndarray.NDArray;
import spsn.neuron.spike.DeltaSpikes;
import spsn.neuron.spike.SpikeFunction;

import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * ParaLIF's layer (and SPSN's, its feed-forward case), as a function of (parameters, input):
 * no reset, so the membrane of every step comes from one causal integration
 * V = integrate(X) (I_t = alpha I_{t-1} + X_t; V_t = beta V_{t-1} + (1 - beta) I_t), then spikes
 * = spike(V). Arrays are time first, [T, B, H].
 *
 * <p>Recurrent (ParaLIF's --recurrent): the feed-forward membrane V_h = integrate(X), shifted by
 * one step, gives the recurrent state H = spike(V_h shifted) (or relu of it); then
 * V = V_h + integrate(X + R(H)) with R the recurrent Linear, and spikes = spike(V). X is integrated
 * twice; the layer stays parallel because H comes from the shifted feed-forward membrane, not
 * from the layer's own output.
 */
public final class ParallelDynamics {

    private ParallelDynamics() {
    }

    /** Spikes of the layer, and the recurrent state H (null when feed-forward or relu-fed). */
    public record Output(NDArray spikes, NDArray recurrentSpikes) {
    }

    /**
     * The input currents, the integration and the spike function a layer is made of. {@code tape}:
     * where the Java-computed steps go (BackwardTape), or null when everything is in the engine's
     * autograd; with a tape, a value that feeds both integrations is made a boundary of the
     * backward passes (BackwardTape#cut). {@code spikeTally} and {@code stateTally}: where the Java
     * spike steps count the spikes and the recurrent state H's (see SpikeTally), or null.
     */
    public record Layer(UnaryOperator<NDArray> integrate, SpikeFunction spike, NDArray threshold,
                        UnaryOperator<NDArray> recurrentMap, boolean recurrentRelu, BackwardTape tape,
                        Supplier<DecayFactors> javaDecays, SpikeTally spikeTally, SpikeTally stateTally) {

        /** A layer whose integration is in the engine's autograd (no tape). */
        public Layer(UnaryOperator<NDArray> integrate, SpikeFunction spike, NDArray threshold,
                     UnaryOperator<NDArray> recurrentMap, boolean recurrentRelu) {
            this(integrate, spike, threshold, recurrentMap, recurrentRelu, null, null, null, null);
        }

        /**
         * {@code javaDecays}: with a tape, the decay factors of {@code integrate}, for the recurrent
         * layer's integrations on the Java recurrence with their sums fused
         * ({@link RecurrentLayerIntegration}); each call gives factors of their own (tensors of
         * their own when they learn). Null: {@code integrate} is used as it is.
         */
        public Layer {
            if (javaDecays != null && tape == null) {
                throw new IllegalArgumentException("the Java integrations need a tape");
            }
        }

        NDArray spikes(NDArray mem, NoiseSource noise, SpikeTally tally) {
            return spike.apply(mem, threshold, noise, tape, tally);
        }

        /** {@code value} as a boundary (a new array), or itself without a tape. */
        NDArray boundary(NDArray value) {
            return tape == null ? value : tape.cut(value);
        }
    }

    public static Output fire(NDArray current, Layer layer, NoiseSource noise) {
        try (TempArrays tmp = new TempArrays()) {
            if (layer.recurrentMap() == null) {
                NDArray hidden = tmp.add(layer.integrate().apply(current));
                return new Output(layer.spikes(hidden, noise, layer.spikeTally()), null);
            }
            if (layer.javaDecays() != null) {
                return fireFused(current, layer, noise, tmp);
            }
            // the current feeds both integrations, the recurrent state the map and the rates
            NDArray input = boundary(current, layer, tmp);
            NDArray hidden = tmp.add(layer.integrate().apply(input));
            NDArray shifted = tmp.add(DeltaSpikes.shiftedInTime(hidden));
            NDArray state = recurrentState(shifted, layer, noise, tmp);
            NDArray fed = tmp.add(tmp.add(layer.recurrentMap().apply(state)).add(input));
            NDArray mem = tmp.add(hidden.add(tmp.add(layer.integrate().apply(fed))));
            NDArray spikes = layer.spikes(mem, noise, layer.spikeTally());
            return new Output(spikes, layer.recurrentRelu() ? null : state);
        }
    }

    /** The recurrent case on {@link RecurrentLayerIntegration}: the same values, fewer passes. */
    private static Output fireFused(NDArray current, Layer layer, NoiseSource noise, TempArrays tmp) {
        RecurrentLayerIntegration integrations = RecurrentLayerIntegration.first(current, layer.javaDecays().get(),
                layer.tape());
        NDArray shifted = tmp.add(integrations.shiftedMembrane());
        NDArray state = recurrentState(shifted, layer, noise, tmp);
        NDArray recurrentCurrent = tmp.add(layer.recurrentMap().apply(state));
        NDArray mem = tmp.add(integrations.second(recurrentCurrent, layer.javaDecays().get()));
        NDArray spikes = layer.spikes(mem, noise, layer.spikeTally());
        return new Output(spikes, layer.recurrentRelu() ? null : state);
    }

    /**
     * H from the shifted feed-forward membrane: relu of it (closed with {@code tmp}), or its spikes
     * made a boundary (they feed the map and the rates), returned to the caller, who closes them.
     */
    private static NDArray recurrentState(NDArray shifted, Layer layer, NoiseSource noise, TempArrays tmp) {
        if (layer.recurrentRelu()) {
            return tmp.add(shifted.getNDArrayInternal().relu());
        }
        NDArray fired = layer.spikes(shifted, noise, layer.stateTally());
        NDArray state = layer.boundary(fired);
        if (state != fired) {
            fired.close();
        }
        return state;
    }

    /** {@code value} through the layer's boundary; a new array is closed with {@code tmp}. */
    private static NDArray boundary(NDArray value, Layer layer, TempArrays tmp) {
        NDArray out = layer.boundary(value);
        return out == value ? value : tmp.add(out);
    }
}

package spsn.neuron;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The steps of a forward pass that Java computes outside autograd (the first layer on a spike
 * list, the integration as a recurrence), whose backward passes run after autograd's. DJL has no
 * custom autograd functions, so such a step's output is a fresh leaf: autograd stops there and
 * leaves dL/doutput in the leaf's gradient; the step then forms dL/dinput in Java and hands it on
 * with a backward pass from its input seeded with that gradient.
 *
 * <p>Steps run in the reverse order of their creation, which is a topological order of the graph:
 * every use of a step's output was created after it, so its whole gradient has arrived when its
 * turn comes.
 *
 * <p>A backward pass frees the graph it traverses, so no part of the graph may be traversed by two
 * of them (the loss's and a step's, or two steps'). Where a value feeds two of them (a recurrent
 * layer's current feeds both of its integrations; a layer's spikes feed the next layer and the
 * rate regulariser), {@link #cut} makes it a boundary of its own: a leaf over the same memory
 * whose accumulated gradient goes on in one pass. A step's {@link #output} is one already.
 */
public final class BackwardTape {

    /** One Java-computed step: its backward pass, after autograd has filled its output's gradient. */
    public interface Step {
        void backward(GradientCollector collector);
    }

    private final List<Step> steps = new ArrayList<>();
    /** The arrays {@link #cut} returned: views that take a gradient although DJL says they do not. */
    private final Set<NDArray> boundaries = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The views of steps' output leaves that {@link #output} handed out, and aliases of them. */
    private final Set<NDArray> outputs = Collections.newSetFromMap(new IdentityHashMap<>());

    /** Whether a gradient is being recorded now (inside a gradient collector). */
    public static boolean recording() {
        return JniUtils.isGradMode();
    }

    /**
     * Whether {@code array} is a leaf that collects a gradient. (DJL's answer is false for arrays
     * computed in the graph, so it cannot tell whether an array is outside any graph: see
     * {@link #backward(NDArray, NDArray)}.)
     */
    public static boolean requiresGradient(NDArray array) {
        return JniUtils.requiresGrad((PtNDArray) array);
    }

    /**
     * Whether a gradient handed to {@code array} goes anywhere: a leaf that collects one, or a
     * boundary or step output made here. (An array computed in the graph other than these counts
     * as not: ask only of leaves, boundaries and outputs.)
     */
    public boolean takesGradient(NDArray array) {
        return requiresGradient(array) || boundaries.contains(array) || outputs.contains(array);
    }

    public void add(Step step) {
        steps.add(step);
    }

    /** Whether no step waits for its backward pass. */
    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /**
     * What a step hands on for its output {@code leaf} (which it keeps for its backward pass): a
     * view of its own, for the caller to close. Its graph is the view alone, which keeps no
     * tensor, so any number of backward passes may go through it: {@link #cut} needs no step for
     * it.
     */
    public NDArray output(NDArray leaf) {
        NDArray view = leaf.reshape(leaf.getShape());
        outputs.add(view);
        return view;
    }

    /**
     * {@code value} as a boundary (see the class comment): a new array with its values and
     * memory, for the caller to own, whose gradient reaches {@code value} in one backward pass of
     * its own (for a step's {@link #output}, a view of it: every pass may end there). Outside
     * recording, a plain detached alias.
     */
    public NDArray cut(NDArray value) {
        if (outputs.contains(value)) {
            NDArray alias = value.reshape(value.getShape());
            outputs.add(alias);
            return alias;
        }
        NDArray leaf = value.stopGradient();
        if (!recording()) {
            return leaf;
        }
        leaf.setRequiresGradient(true);
        // own handles: the caller may close value and the returned view
        NDArray origin = value.reshape(value.getShape());
        add(collector -> {
            seed(origin, leaf);
            // its gradient has gone on: the leaf's own (an activation's size) need not wait for the
            // end of the batch, nor the memory once no other handle holds it
            origin.close();
            leaf.close();
        });
        NDArray boundary = leaf.reshape(value.getShape());
        boundaries.add(boundary);
        return boundary;
    }

    /**
     * Backward from {@code origin}, seeded with {@code leaf}'s accumulated gradient (nothing when
     * no gradient reached it).
     */
    private static void seed(NDArray origin, NDArray leaf) {
        NDArray gradient = gradientOf(leaf);
        if (gradient != null) {
            backward(origin, gradient);
            gradient.close();
        }
    }

    /**
     * The gradient accumulated in {@code leaf}, a new handle for the caller to close, or null when
     * none reached it (DJL's getGradient would make zeros).
     */
    public static NDArray gradientOf(NDArray leaf) {
        return JniUtils.getGradient((PtNDArray) leaf);
    }

    /**
     * One backward pass from {@code from} with dL/dfrom = {@code gradient} (same shape); nothing
     * when {@code from} is outside any graph (data, or a constant).
     */
    public static void backward(NDArray from, NDArray gradient) {
        try {
            JniUtils.backward((PtNDArray) from, (PtNDArray) gradient, false, false);
        } catch (EngineException e) {
            // the engine's only way to tell that nothing upstream wants a gradient
            if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
                throw e;
            }
        }
    }

    /** Runs every step's backward pass, the latest first. */
    public void backward(GradientCollector collector) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            steps.get(i).backward(collector);
        }
        steps.clear();
        boundaries.clear();
        outputs.clear();
    }
}

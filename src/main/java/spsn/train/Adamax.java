package spsn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import spsn.io.HostFloats;

/**
 * Adamax with PyTorch's update rule (torch.optim.Adamax):
 * g += weight_decay*p (when &gt; 0); m = b1*m + (1-b1)*g; u = max(b2*u, |g| + eps);
 * p -= lr/(1-b1^t) * m/u. The learning rate may change between steps (a scheduler's).
 * State lives in its own manager; every temporary is freed within the step.
 */
public final class Adamax implements AutoCloseable {

    private final NDManager stateManager;
    private float lr;
    private final float weightDecay;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final Map<String, NDArray> firstMoment = new HashMap<>();
    private final Map<String, NDArray> infinityNorm = new HashMap<>();
    private final Kernel kernel;
    private int steps;

    /** Where the update runs: Java on CPU tensors (the default), or engine operations (any device). */
    public enum Kernel { JAVA, ENGINE }

    public Adamax(NDManager parent, double lr, double beta1, double beta2, double eps) {
        this(parent, lr, beta1, beta2, eps, Kernel.JAVA);
    }

    /** With the update run by {@code kernel}; Java applies to CPU tensors only, others use the engine. */
    public Adamax(NDManager parent, double lr, double beta1, double beta2, double eps, Kernel kernel) {
        this(parent, lr, beta1, beta2, eps, 0, kernel);
    }

    /** With PyTorch's L2 {@code weight_decay} (added to the gradient before the moments). */
    public Adamax(NDManager parent, double lr, double beta1, double beta2, double eps, double weightDecay,
                  Kernel kernel) {
        this.kernel = kernel;
        this.weightDecay = (float) weightDecay;
        this.stateManager = parent.newSubManager();
        this.lr = (float) lr;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.eps = (float) eps;
    }

    /** Default hyper-parameters of the original: lr 1e-3, betas (0.9, 0.999), eps 1e-8. */
    public static Adamax withDefaults(NDManager parent) {
        return new Adamax(parent, 1e-3, 0.9, 0.999, 1e-8);
    }

    /** Sets the learning rate of the next steps (what a scheduler does to param_groups' lr). */
    public void setLearningRate(double lr) {
        this.lr = (float) lr;
    }

    public double learningRate() {
        return lr;
    }

    public int steps() {
        return steps;
    }

    /**
     * Updates every parameter from its gradient, then zeroes the gradients. Call it outside any
     * scope that has the parameters temporarily attached (scopes must not nest on them).
     */
    public void step(Map<String, NDArray> params) {
        steps++;
        float stepSize = (float) (lr / (1 - Math.pow(beta1, steps)));
        try (NDManager scope = stateManager.newSubManager()) {
            for (Map.Entry<String, NDArray> entry : params.entrySet()) {
                NDArray param = entry.getValue();
                NDArray m = firstMoment.computeIfAbsent(entry.getKey(), k -> stateManager.zeros(param.getShape()));
                NDArray u = infinityNorm.computeIfAbsent(entry.getKey(), k -> stateManager.zeros(param.getShape()));
                NDArray grad = param.getGradient();
                grad.attach(scope); // a fresh handle on the gradient: free it with the scope
                if (kernel == Kernel.JAVA && HostFloats.onHost(param.getDevice())) {
                    updateInJava(param, grad, m, u, stepSize);
                } else {
                    scope.tempAttachAll(m, u, param);
                    updateOnEngine(param, grad, m, u, stepSize);
                }
                grad.subi(grad);
            }
        }
    }

    /**
     * The update as engine operations: a dozen per parameter, each with its own call and, for
     * the scalar operands, its own small tensor (a step of the original's network: 4-7 ms).
     */
    private void updateOnEngine(NDArray param, NDArray grad, NDArray m, NDArray u, float stepSize) {
        if (weightDecay != 0) {
            grad.addi(param.mul(weightDecay));
        }
        m.muli(beta1).addi(grad.mul(1 - beta1));
        u.muli(beta2);
        u.maximum(grad.abs().addi(eps)).copyTo(u);
        param.subi(m.div(u).muli(stepSize));
    }

    /**
     * The same float32 operations in the same order, element by element in the tensors' own
     * memory (a step of the original's network: 1-3 ms). Parameter and state tensors are made by
     * NDManager.create/zeros, so they are contiguous and their buffers are views, not copies;
     * the gradient is only read here.
     */
    private void updateInJava(NDArray param, NDArray grad, NDArray m, NDArray u, float stepSize) {
        FloatBuffer p = floats(param);
        FloatBuffer g = floats(grad);
        FloatBuffer first = floats(m);
        FloatBuffer norm = floats(u);
        float oneMinusBeta1 = 1 - beta1;
        for (int i = 0, n = p.capacity(); i < n; i++) {
            float gi = weightDecay == 0 ? g.get(i) : g.get(i) + weightDecay * p.get(i);
            float mi = first.get(i) * beta1 + gi * oneMinusBeta1;
            float ui = Math.max(norm.get(i) * beta2, Math.abs(gi) + eps);
            first.put(i, mi);
            norm.put(i, ui);
            p.put(i, p.get(i) - mi / ui * stepSize);
        }
    }

    private static FloatBuffer floats(NDArray array) {
        return HostFloats.view(array);
    }

    /** First moment and infinity norm of one parameter (for checkpoints). */
    public NDArray[] state(String name) {
        return new NDArray[] {firstMoment.get(name), infinityNorm.get(name)};
    }

    /**
     * Puts back the state of one parameter and the step count, as saved from {@link #state} and
     * {@link #steps()} (resuming from a checkpoint), so that the next step continues exactly.
     */
    public void restore(String name, long[] shape, float[] firstMoment, float[] infinityNorm, int steps) {
        Shape s = new Shape(shape);
        for (NDArray old : new NDArray[] {
                this.firstMoment.put(name, stateManager.create(firstMoment, s)),
                this.infinityNorm.put(name, stateManager.create(infinityNorm, s))}) {
            if (old != null) {
                old.close();
            }
        }
        this.steps = steps;
    }

    @Override
    public void close() {
        stateManager.close();
    }
}

package spsn.engine;

import ai.djl.util.Utils;
import java.io.PrintWriter;
import org.junit.jupiter.api.extension.Extension;

/**
 * Gives the test JVM MKL's kernels as the tool's own process chooses them ({@link MklCodePaths}),
 * before any test's first product, whichever test runs first: runs in this JVM then give the
 * numbers of the relaunched runs that tests compare them with. Registered for every test class by
 * {@code META-INF/services} and {@code junit-platform.properties}.
 */
public final class ToolsMklKernels implements Extension {

    static {
        MklCodePaths.useHere(System.getenv(), Utils.getCacheDir(), new PrintWriter(System.err, true));
    }
}

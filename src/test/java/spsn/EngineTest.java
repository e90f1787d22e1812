package spsn;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that use the engine: one offline base manager per test class, open from
 * before the class's own {@code @BeforeAll} methods to after its {@code @AfterAll} methods (JUnit
 * runs test classes one at a time here).
 */
public abstract class EngineTest {

    protected static NDManager manager;

    @BeforeAll
    static void startEngine() {
        System.setProperty("ai.djl.offline", "true");
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stopEngine() {
        manager.close();
    }
}

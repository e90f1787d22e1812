package spsn.parity;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import spsn.train.LearningRateSchedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** ParaLIF's StepLR(25, 0.5): the rate after each number of epochs, from torch's StepLR itself. */
class StepLrParityTest {

    @Test
    void ratesMatchTorch() {
        try (NDManager manager = NDManager.newBaseManager();
             Fixture fx = Fixture.load(manager, "paralif/schedule.npz")) {
            LearningRateSchedule schedule = new LearningRateSchedule(fx.scalar("lr0"), (int) fx.longScalar("step_size"),
                    fx.scalar("gamma"));
            assertEquals(LearningRateSchedule.paraLif(fx.scalar("lr0")), schedule, "ParaLIF's schedule");
            long[] epochs = fx.raw("epochs").toLongArray();
            double[] rates = fx.doubles("lr");
            for (int i = 0; i < epochs.length; i++) {
                assertEquals(rates[i], schedule.rate((int) epochs[i]), 0.0, "lr after " + epochs[i] + " epochs");
            }
        }
    }
}

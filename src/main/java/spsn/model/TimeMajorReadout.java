package spsn.model;

import ai.djl.ndarray.NDArray;
import spsn.neuron.TempArrays;

/** Readout of hidden activity laid out time first, [T', B, H], T' possibly padded (see Pass). */
record TimeMajorReadout(OutputLayer layer, NDArray hidden, Pass pass) implements Readout {

    @Override
    public NDArray output() {
        try (TempArrays tmp = new TempArrays()) {
            NDArray padded = tmp.add(layer.forward(hidden, pass));
            return tmp.add(pass.realSteps(padded)).transpose(1, 0, 2);
        }
    }

    @Override
    public NDArray meanOverTime() {
        return layer.meanOverTime(hidden, pass);
    }

    @Override
    public NDArray lastStep() {
        return layer.lastStep(hidden, pass);
    }
}

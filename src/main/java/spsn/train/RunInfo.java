package spsn.train;

import java.util.List;

/** Facts about a run that are not flags: where it ran and what data it saw. */
public record RunInfo(String toolVersion, String device, int inputSize, List<String> classNames) {
}

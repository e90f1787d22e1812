package spsn.data;

/**
 * The files of a dataset in the SHD layout, in one data folder.
 *
 * @param trainFile e.g. shd_train.h5
 * @param validFile the dataset's own validation split, or null (SHD has none)
 * @param testFile e.g. shd_test.h5
 * @param nbChannels input channels; units must lie in 0..nbChannels-1
 */
public record FileLayout(String trainFile, String validFile, String testFile, int nbChannels) {
}

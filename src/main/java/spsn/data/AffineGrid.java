package spsn.data;

/**
 * The pixel mapping of torchvision 0.14's tensor affine() for angle 0, no shear, translate
 * (shift, 0), isotropic scale, nearest interpolation, fill 0, on an image of height H and width W.
 * With those parameters the mapping is separable: output column j reads source column
 * {@code sourceColumns(...)[j]} and output row i reads source row {@code sourceRows(...)[i]}
 * (-1: outside the image, filled with 0).
 *
 * <p>The float arithmetic follows torchvision step by step so that pixels on a rounding boundary
 * go the same way: the inverse matrix in float64 ({@code [1/s, 0, -tx/s; 0, 1/s, 0]}) is cast to
 * float32 and divided by (W/2, H/2); the base grid holds pixel centres {@code j - (W-1)/2};
 * the grid value {@code g = x·a + c} (float32, no fused multiply-add); grid_sample
 * (align_corners=False) maps it to {@code (g + 1)·W/2 - 0.5} and rounds half to even.
 */
final class AffineGrid {

    private AffineGrid() {
    }

    static int[] sourceColumns(int width, int shift, double scale) {
        double inv = 1.0 / scale;
        float a = (float) inv / (float) (0.5 * width);
        float c = (float) (inv * -(double) shift) / (float) (0.5 * width);
        return map(width, a, c);
    }

    static int[] sourceRows(int height, double scale) {
        float a = (float) (1.0 / scale) / (float) (0.5 * height);
        return map(height, a, 0f);
    }

    private static int[] map(int size, float a, float c) {
        float centre = (float) (size * 0.5 - 0.5);
        float half = size / 2f;
        int[] source = new int[size];
        for (int j = 0; j < size; j++) {
            float x = j - centre;
            float g = x * a + c;
            float pixel = (g + 1f) * half - 0.5f;
            double nearest = Math.rint(pixel);
            source[j] = nearest >= 0 && nearest < size ? (int) nearest : -1;
        }
        return source;
    }
}

"""Empty stand-in for the tonic package: ParaLIF's examples/basic/datasets.py imports tonic at the
top but uses it only for N-MNIST and DVS Gesture, never for SHD (heidelberg)."""

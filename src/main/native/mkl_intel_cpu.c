/*
 * MKL, linked into libtorch, asks this function whether the CPU is Intel's before it picks its
 * kernels; on another vendor's CPU its own copy returns 0 and MKL runs its generic ones. Preloaded
 * into the tuned JVM (spsn.engine.MklCodePaths), this copy answers 1 for libtorch's calls, and MKL
 * then chooses its kernels by the CPU's feature bits as it does on Intel's CPUs.
 * Built by build.sh beside it, without the C library: the file has this one symbol and no needs.
 */
int mkl_serv_intel_cpu_true(void) {
    return 1;
}

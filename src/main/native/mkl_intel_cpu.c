/*
 * MKL, linked into libtorch, asks mkl_serv_intel_cpu_true() whether the CPU is Intel's before it
 * picks its kernels; on another maker's CPU its own copy answers 0 and MKL runs its generic ones.
 * This copy answers 1, and MKL then chooses its kernels by the CPU's feature bits as on Intel's.
 *
 * libtorch calls the function through its procedure linkage table, bound lazily at the first
 * call, so a definition in the process's global scope by then wins over libtorch's own. The JVM
 * opens a library (System.load) in a scope of its own, where libtorch would not see it: JNI_OnLoad
 * reopens this one into the global scope. spsn.engine.MklCodePaths loads it before the engine's
 * first product, in every process that trains, so that in-process and relaunched runs agree.
 * Built by build.sh beside it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>

/* glibc 2.34 moved these into libc under a newer version; the old one is there in every glibc. */
__asm__(".symver dlopen,dlopen@GLIBC_2.2.5");
__asm__(".symver dladdr,dladdr@GLIBC_2.2.5");

int mkl_serv_intel_cpu_true(void) {
    return 1;
}

/* Called by the JVM once the library is open; the JNI version it needs is 1.8's. */
int JNI_OnLoad(void *vm, void *reserved) {
    Dl_info self;
    (void) vm;
    (void) reserved;
    if (dladdr((void *) mkl_serv_intel_cpu_true, &self) && self.dli_fname != 0) {
        dlopen(self.dli_fname, RTLD_LAZY | RTLD_GLOBAL | RTLD_NOLOAD); /* kept open: never closed */
    }
    return 0x00010008;
}

#!/bin/sh
# Builds the library that spsn.engine.MklCodePaths loads (see mkl_intel_cpu.c) into the jar's
# resources. Run it after changing the source, and commit the result: Maven does not compile C,
# and a machine that builds the jar need not have a C compiler. It needs glibc's dlopen at version
# 2.2.5 only, and names libdl.so.2, where glibc kept dlopen before 2.34.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../resources/spsn/native/linux-x86_64/libspsn_mkl_intel_cpu.so"
mkdir -p "$(dirname "$out")"
"${CC:-cc}" -O2 -shared -fPIC -nostartfiles -Wl,-s -Wl,--build-id=none -Wl,-z,noseparate-code \
    -o "$out" "$here/mkl_intel_cpu.c" -Wl,--no-as-needed -l:libdl.so.2
echo "$out"

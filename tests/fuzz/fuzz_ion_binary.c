/*
 * fuzz_ion_binary.c - libFuzzer target for the Ion BINARY parser: the same
 * checks as fuzz_ion_text.c (parse every value, hash it, write it as text
 * and binary and read it back, compare buffer and source readers), with
 * the input fed to ion_binary_next and the version marker E0 01 00 EA put
 * in front when it is missing. The code is shared by including that file.
 */
#define FUZZ_ION_BINARY 1
#include "fuzz_ion_text.c"

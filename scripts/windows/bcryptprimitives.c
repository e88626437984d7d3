/* A stand-in for Windows' bcryptprimitives.dll, which Wine 8.0 (Debian 12) lacks: Rust's std
 * (1.78 and later) imports ProcessPrng from it, so without it no Rust program starts under Wine.
 * Test use only: scripts/check-windows.sh builds it with mingw-w64 and puts it into the system32
 * folder of its private Wine prefix. Windows 10 and later have the real DLL. */
#include <windows.h>
#include <ntsecapi.h> /* RtlGenRandom (advapi32's SystemFunction036) */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
    while (size > 0) {
        ULONG chunk = size > 0x40000000 ? 0x40000000 : (ULONG)size;
        if (!RtlGenRandom(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        size -= chunk;
    }
    return TRUE;
}

/*
 * A PKCS#11 library for fault injection in tests: it loads the real module (HANG_SHIM_TARGET,
 * SoftHSM2 by default) and hands out its function list unchanged, except that the functions below
 * block while a control file of their name exists in HANG_SHIM_CONTROL_DIR (touch
 * "$dir/C_Encrypt" to make C_Encrypt hang, remove it to let the waiting calls through), as an HSM
 * that stops answering would. Built by tests/support/hang-shim.ts with gcc.
 */
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "pkcs11/pkcs11.h"

static CK_FUNCTION_LIST shim;
static CK_FUNCTION_LIST_PTR real;

/* Blocks while $HANG_SHIM_CONTROL_DIR/<name> exists. */
static void wait_while_hung(const char *name) {
  const char *dir = getenv("HANG_SHIM_CONTROL_DIR");
  if (!dir) return;
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  while (access(path, F_OK) == 0) usleep(10000);
}

#define HANGING(name, params, args)                  \
  static CK_RV hang_##name params {                  \
    wait_while_hung(#name);                          \
    return real->name args;                          \
  }

HANGING(C_GetSlotList, (CK_BBOOL present, CK_SLOT_ID_PTR list, CK_ULONG_PTR count), (present, list, count))
HANGING(C_OpenSession, (CK_SLOT_ID slot, CK_FLAGS flags, CK_VOID_PTR app, CK_NOTIFY notify, CK_SESSION_HANDLE_PTR session),
        (slot, flags, app, notify, session))
HANGING(C_Login, (CK_SESSION_HANDLE s, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin, CK_ULONG len), (s, user, pin, len))
HANGING(C_FindObjectsInit, (CK_SESSION_HANDLE s, CK_ATTRIBUTE_PTR t, CK_ULONG n), (s, t, n))
HANGING(C_EncryptInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k), (s, m, k))
HANGING(C_Encrypt, (CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG inLen, CK_BYTE_PTR out, CK_ULONG_PTR outLen), (s, in, inLen, out, outLen))
HANGING(C_DecryptInit, (CK_SESSION_HANDLE s, CK_MECHANISM_PTR m, CK_OBJECT_HANDLE k), (s, m, k))
HANGING(C_Decrypt, (CK_SESSION_HANDLE s, CK_BYTE_PTR in, CK_ULONG inLen, CK_BYTE_PTR out, CK_ULONG_PTR outLen), (s, in, inLen, out, outLen))
HANGING(C_GenerateRandom, (CK_SESSION_HANDLE s, CK_BYTE_PTR out, CK_ULONG len), (s, out, len))

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
  if (!real) {
    const char *target = getenv("HANG_SHIM_TARGET");
    void *lib = dlopen(target ? target : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    if (!lib) return CKR_GENERAL_ERROR;
    CK_C_GetFunctionList get = (CK_C_GetFunctionList)dlsym(lib, "C_GetFunctionList");
    if (!get || get(&real) != CKR_OK) return CKR_GENERAL_ERROR;
    shim = *real;
    shim.C_GetSlotList = hang_C_GetSlotList;
    shim.C_OpenSession = hang_C_OpenSession;
    shim.C_Login = hang_C_Login;
    shim.C_FindObjectsInit = hang_C_FindObjectsInit;
    shim.C_EncryptInit = hang_C_EncryptInit;
    shim.C_Encrypt = hang_C_Encrypt;
    shim.C_DecryptInit = hang_C_DecryptInit;
    shim.C_Decrypt = hang_C_Decrypt;
    shim.C_GenerateRandom = hang_C_GenerateRandom;
  }
  *list = &shim;
  return CKR_OK;
}

// The PKCS#11 worker process (see host.ts): it alone calls into the HSM's library, so a token that
// stops answering blocks this process, never the server's event loop, and the server can kill it
// (a thread blocked inside a C call cannot be stopped, and would even keep the server from exiting).
// Every call here is synchronous and requests are served one at a time, so one session per pool is
// enough (an Init + Encrypt pair never interleaves with another request). Session and object handles
// never leave this process; the server names pools and keys. Plain JavaScript, started with `node`.
// Secrets (PINs, plaintext) arrive in messages and are never logged or put in an error.
import pkcs11js from "pkcs11js";

const modulePath = process.argv[2];
const GCM_TAG_BITS = 128;

/** A failure Keyhold noticed itself; `reason` is an AWS ConnectionErrorCode or LIBRARY. */
class TokenProblem extends Error {
  constructor(reason, message) {
    super(message);
    this.reason = reason;
  }
}

/** The token, the session or the login went away: open a fresh session and log in again. */
const LOST = new Set([
  pkcs11js.CKR_DEVICE_REMOVED,
  pkcs11js.CKR_DEVICE_ERROR,
  pkcs11js.CKR_TOKEN_NOT_PRESENT,
  pkcs11js.CKR_TOKEN_NOT_RECOGNIZED,
  pkcs11js.CKR_SESSION_HANDLE_INVALID,
  pkcs11js.CKR_SESSION_CLOSED,
  pkcs11js.CKR_USER_NOT_LOGGED_IN,
  pkcs11js.CKR_OBJECT_HANDLE_INVALID,
  pkcs11js.CKR_KEY_HANDLE_INVALID,
]);

let library;
/** Loaded and initialised on first use. ALREADY_INITIALIZED (a library initialised by its loader) is fine. */
function lib() {
  if (library) return library;
  const loaded = new pkcs11js.PKCS11();
  try {
    loaded.load(modulePath);
  } catch (e) {
    throw new TokenProblem("LIBRARY", `could not load the PKCS#11 module ${modulePath}: ${e.message}`);
  }
  try {
    loaded.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  } catch (e) {
    if (!/CKR_CRYPTOKI_ALREADY_INITIALIZED/.test(String(e.message))) throw e;
  }
  return (library = loaded);
}

/** Token labels are blank-padded to 32 bytes. */
function findToken(label) {
  const p11 = lib();
  for (const slot of p11.C_GetSlotList(true)) {
    const info = p11.C_GetTokenInfo(slot);
    if (info.label.trim() !== label) continue;
    return {
      slot,
      initialized: (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) !== 0,
      userPinInitialized: (info.flags & pkcs11js.CKF_USER_PIN_INITIALIZED) !== 0,
    };
  }
  return undefined;
}

/** Logged-in pools by the server's name for them: { slot, pin, session?, keys: label → handle }. */
const pools = new Map();

function openSession(pool) {
  const p11 = lib();
  const session = p11.C_OpenSession(pool.slot, pkcs11js.CKF_RW_SESSION | pkcs11js.CKF_SERIAL_SESSION);
  try {
    p11.C_Login(session, pkcs11js.CKU_USER, pool.pin);
  } catch (e) {
    if (e.code !== pkcs11js.CKR_USER_ALREADY_LOGGED_IN) {
      closeSession(session);
      throw e;
    }
  }
  return session;
}

function closeSession(session) {
  try {
    lib().C_CloseSession(session);
  } catch {
    // already gone with the token
  }
}

function dropSession(pool) {
  if (pool.session) closeSession(pool.session);
  pool.session = undefined;
  pool.keys.clear();
}

function poolOf(name) {
  const pool = pools.get(name);
  if (!pool) throw new TokenProblem("NOT_OPEN", "the token session pool is not open");
  return pool;
}

/** Runs fn(session) on the pool's session; a session the token lost is opened again once (an HSM restart). */
function withSession(name, fn) {
  const pool = poolOf(name);
  for (let attempt = 0; ; attempt++) {
    pool.session ??= openSession(pool);
    try {
      return fn(pool.session, pool);
    } catch (e) {
      if (!LOST.has(e.code) || attempt > 0) throw e;
      dropSession(pool);
    }
  }
}

function findByLabel(session, label) {
  const p11 = lib();
  p11.C_FindObjectsInit(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_LABEL, value: label },
  ]);
  try {
    return p11.C_FindObjects(session, 4);
  } finally {
    p11.C_FindObjectsFinal(session);
  }
}

/** The handle of the one key labelled `label`, remembered per login. */
function keyHandle(pool, session, label) {
  const known = pool.keys.get(label);
  if (known) return known;
  const found = findByLabel(session, label);
  if (found.length !== 1) {
    throw new TokenProblem("INTERNAL_ERROR", found.length ? `Several keys in the token carry the label ${label}.` : `No key labelled ${label} is in the token.`);
  }
  pool.keys.set(label, found[0]);
  return found[0];
}

const gcm = (iv, aad) => ({
  mechanism: pkcs11js.CKM_AES_GCM,
  parameter: { type: pkcs11js.CK_PARAMS_AES_GCM, iv, aad, ivBits: iv.length * 8, tagBits: GCM_TAG_BITS },
});

/** A persistent AES-256 key that can encrypt and decrypt inside the token and never leave it. */
function aesKeyTemplate(label) {
  return [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
    { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_PRIVATE, value: true },
    { type: pkcs11js.CKA_SENSITIVE, value: true },
    { type: pkcs11js.CKA_EXTRACTABLE, value: false },
    { type: pkcs11js.CKA_MODIFIABLE, value: false },
    { type: pkcs11js.CKA_LABEL, value: label },
    { type: pkcs11js.CKA_ID, value: Buffer.from(label, "utf8") },
    { type: pkcs11js.CKA_ENCRYPT, value: true },
    { type: pkcs11js.CKA_DECRYPT, value: true },
    { type: pkcs11js.CKA_WRAP, value: false },
    { type: pkcs11js.CKA_UNWRAP, value: false },
    { type: pkcs11js.CKA_SIGN, value: false },
    { type: pkcs11js.CKA_VERIFY, value: false },
    { type: pkcs11js.CKA_DERIVE, value: false },
  ];
}

const flag = (attr) => Buffer.isBuffer(attr.value) && attr.value[0] === 1;

const operations = {
  /** "absent", "uninitialized" (no user PIN) or "ready". */
  tokenState({ token }) {
    const found = findToken(token);
    if (!found) return "absent";
    return found.initialized && found.userPinInitialized ? "ready" : "uninitialized";
  },

  /** Finds the token and logs in on a first session; a pool of the same name is replaced. */
  openPool({ pool: name, token, pin }) {
    const found = findToken(token);
    if (!found) throw new TokenProblem("CLUSTER_NOT_FOUND", `No token labelled '${token}' is present in the PKCS#11 library.`);
    if (!found.initialized || !found.userPinInitialized) throw new TokenProblem("USER_NOT_FOUND", `The token '${token}' has no user PIN set.`);
    operations.closePool({ pool: name });
    const pool = { slot: found.slot, pin, session: undefined, keys: new Map() };
    pool.session = openSession(pool);
    pools.set(name, pool);
  },

  /** Closes the pool's session (the last session of the application on a token logs it out). */
  closePool({ pool: name }) {
    const pool = pools.get(name);
    if (!pool) return;
    pools.delete(name);
    dropSession(pool);
  },

  /** Closes every pool (before this worker is let go). */
  closeAll() {
    for (const name of [...pools.keys()]) operations.closePool({ pool: name });
  },

  /** Every session of this process on the token closes, as when the HSM restarts (tests simulate that with it). */
  closeAllSessions({ token }) {
    const found = findToken(token);
    if (found) lib().C_CloseAllSessions(found.slot);
  },

  generateAesKey({ pool, label }) {
    withSession(pool, (session) => lib().C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, aesKeyTemplate(label)));
  },

  /** AES-GCM inside the token: ciphertext || 16-byte tag. */
  seal({ pool, label, iv, plaintext, aad }) {
    return withSession(pool, (session, p) => {
      const p11 = lib();
      p11.C_EncryptInit(session, gcm(iv, aad), keyHandle(p, session, label));
      return p11.C_Encrypt(session, plaintext, Buffer.alloc(plaintext.length + GCM_TAG_BITS / 8));
    });
  },

  /** Inverse of seal; a tag that does not verify throws the token's error (CKR_ENCRYPTED_DATA_INVALID, …). */
  open({ pool, label, iv, sealed, aad }) {
    return withSession(pool, (session, p) => {
      const p11 = lib();
      p11.C_DecryptInit(session, gcm(iv, aad), keyHandle(p, session, label));
      return p11.C_Decrypt(session, sealed, Buffer.alloc(sealed.length));
    });
  },

  /** Destroys every key object labelled `label`; how many there were. */
  destroyKeys({ pool, label }) {
    return withSession(pool, (session, p) => {
      p.keys.delete(label);
      const found = findByLabel(session, label);
      for (const handle of found) lib().C_DestroyObject(session, handle);
      return found.length;
    });
  },

  random({ pool, bytes }) {
    return withSession(pool, (session) => lib().C_GenerateRandom(session, Buffer.alloc(bytes)));
  },

  /**
   * The root key store's key: found by label (one at most), created when asked, and refused unless
   * sensitive and not extractable. Answers "found", "created", "absent" or "several".
   */
  rootKey({ pool, label, create }) {
    return withSession(pool, (session, p) => {
      const p11 = lib();
      const found = findByLabel(session, label);
      if (found.length > 1) return { state: "several" };
      let key = found[0];
      let state = "found";
      if (!key) {
        if (!create) return { state: "absent" };
        key = p11.C_GenerateKey(session, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY },
          { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
          { type: pkcs11js.CKA_VALUE_LEN, value: 32 },
          { type: pkcs11js.CKA_LABEL, value: label },
          { type: pkcs11js.CKA_TOKEN, value: true },
          { type: pkcs11js.CKA_PRIVATE, value: true },
          { type: pkcs11js.CKA_SENSITIVE, value: true },
          { type: pkcs11js.CKA_EXTRACTABLE, value: false },
          { type: pkcs11js.CKA_ENCRYPT, value: true },
          { type: pkcs11js.CKA_DECRYPT, value: true },
          { type: pkcs11js.CKA_WRAP, value: false },
          { type: pkcs11js.CKA_UNWRAP, value: false },
        ]);
        state = "created";
      }
      const attrs = p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_SENSITIVE }, { type: pkcs11js.CKA_EXTRACTABLE }]);
      p.keys.set(label, key);
      return { state, sensitive: flag(attrs[0]), extractable: flag(attrs[1]) };
    });
  },
};

/** What the server needs to rebuild the error: PKCS#11's return value, or our own reason. Never a secret. */
function describe(e) {
  if (e instanceof pkcs11js.Pkcs11Error) return { kind: "pkcs11", name: e.message.split(/\s/)[0], code: e.code };
  if (e instanceof TokenProblem) return { kind: "token", reason: e.reason, message: e.message };
  return { kind: "error", message: e instanceof Error ? e.message : String(e) };
}

/** Runs one request; its answer, or the error's description. */
function serve({ id, op, args }) {
  try {
    const run = operations[op];
    if (!run) throw new Error(`unknown PKCS#11 worker operation ${op}`);
    return { id, result: run(args) };
  } catch (e) {
    return { id, error: describe(e) };
  }
}

// The server sends the requests of one event-loop turn together; the answers go back together.
process.on("message", (requests) => process.send?.(requests.map(serve)));
// The server went away (or let this worker go): close the sessions and end.
process.on("disconnect", () => {
  try {
    operations.closeAll();
  } finally {
    process.exit(0);
  }
});

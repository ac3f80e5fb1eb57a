#!/usr/bin/env node
// Verifies a Keyhold audit export (JSONL) outside Keyhold, with node:crypto
// only:
//   node scripts/verify-audit-export.mjs keyhold-audit-….jsonl
//
// The file holds, in this order:
//   {"chainId","chainSeq","prevHash","hash","record":{…CloudTrail record…}}   one per event, chain order
//   {"digest":{"id","chainId","lastSeq","lastHash","prevSignature","createdAt","signingKeyId","signature"}}
//   {"publicKeys":[{"id","pem"}]}
//
// Checks, per chain: consecutive chainSeq; each event's prevHash is the hash of
// the event before it (and the chain's genesis hash for event #1); each hash is
// SHA-256(prevHash + "\n" + JSON.stringify(record)); every digest's ECDSA P-256
// signature with the exported public keys, digests linked by prevSignature; a
// digest whose lastSeq falls inside the exported events names that event's hash.
//
// Exit status: 0 intact, 1 the first problem found (printed), 2 usage or I/O error.
import { createHash, createPublicKey, verify } from "node:crypto";
import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";

const file = process.argv[2];
if (!file || file === "-h" || file === "--help") {
  console.error("usage: node verify-audit-export.mjs <export.jsonl>");
  process.exit(2);
}
if (!existsSync(file)) {
  console.error(`verify-audit-export: ${file}: no such file`);
  process.exit(2);
}

const sha256 = (text) => createHash("sha256").update(text).digest("hex");
const genesisHash = (chainId) => sha256(`keyhold-audit-genesis:${chainId}`);
const eventHash = (prevHash, recordText) => createHash("sha256").update(prevHash).update("\n").update(recordText).digest("hex");

/** Exactly the bytes lib/audit/chain.ts digestPayload() signs. */
const digestPayload = (d) =>
  Buffer.from(JSON.stringify({ chainId: d.chainId, lastSeq: d.lastSeq, lastHash: d.lastHash, prevSignature: d.prevSignature, createdAt: d.createdAt }));

class Problem extends Error {}
const fail = (message) => {
  throw new Problem(message);
};

async function* lines(path) {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let n = 0;
  for await (const line of rl) {
    n++;
    if (line.trim() === "") continue;
    let value;
    try {
      value = JSON.parse(line);
    } catch {
      fail(`line ${n}: not valid JSON`);
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) fail(`line ${n}: not a JSON object`);
    yield { n, value };
  }
}

const isHex64 = (v) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);

async function main() {
  // Pass 1: the trailer (digests and public keys), which comes after the events.
  const digests = [];
  let publicKeys;
  for await (const { n, value } of lines(file)) {
    if ("digest" in value) {
      const d = value.digest;
      if (!d || typeof d.chainId !== "string" || !Number.isInteger(d.lastSeq) || !isHex64(d.lastHash) || typeof d.signature !== "string" || typeof d.createdAt !== "string") {
        fail(`line ${n}: malformed digest`);
      }
      digests.push({ ...d, line: n });
    } else if ("publicKeys" in value) {
      if (!Array.isArray(value.publicKeys)) fail(`line ${n}: malformed publicKeys`);
      publicKeys = new Map();
      for (const k of value.publicKeys) {
        try {
          publicKeys.set(k.id, createPublicKey({ key: k.pem, format: "pem" }));
        } catch {
          fail(`line ${n}: public key ${k?.id} is not a valid PEM public key`);
        }
      }
    }
  }
  if (!publicKeys) fail("the export has no publicKeys line (it is incomplete)");

  // The event hashes digests vouch for, to compare while streaming the events.
  const wanted = new Map(); // chainId -> Set(lastSeq)
  for (const d of digests) {
    if (!wanted.has(d.chainId)) wanted.set(d.chainId, new Set());
    wanted.get(d.chainId).add(d.lastSeq);
  }

  // Pass 2: the events.
  const chains = new Map(); // chainId -> { first, last, lastHash, hashes: Map(seq -> hash) }
  let events = 0;
  for await (const { n, value } of lines(file)) {
    if ("digest" in value || "publicKeys" in value) continue;
    const { chainId, chainSeq, prevHash, hash, record } = value;
    if (typeof chainId !== "string" || !Number.isInteger(chainSeq) || chainSeq < 1 || !isHex64(prevHash) || !isHex64(hash)) {
      fail(`line ${n}: malformed event line`);
    }
    if (record === null || typeof record !== "object" || Array.isArray(record)) fail(`line ${n}: event #${chainSeq} of chain ${chainId} has no record object`);
    const at = `event #${chainSeq} of chain ${chainId} (line ${n})`;
    let c = chains.get(chainId);
    if (!c) {
      c = { first: chainSeq, last: chainSeq - 1, lastHash: undefined, hashes: new Map() };
      chains.set(chainId, c);
      if (chainSeq === 1 && prevHash !== genesisHash(chainId)) fail(`${at}: is the first event of the chain but its previous-hash is not the chain's genesis hash`);
    } else {
      if (chainSeq <= c.last) fail(`${at}: out of order or duplicated (after event #${c.last})`);
      if (chainSeq !== c.last + 1) fail(`event #${c.last + 1} of chain ${chainId} is missing (line ${n} holds #${chainSeq})`);
      if (prevHash !== c.lastHash) fail(`${at}: does not follow event #${c.last} (its previous-hash differs)`);
    }
    const actual = eventHash(prevHash, JSON.stringify(record));
    if (actual !== hash) fail(`${at}: was changed (its hash does not match its content)`);
    c.last = chainSeq;
    c.lastHash = hash;
    if (wanted.get(chainId)?.has(chainSeq)) c.hashes.set(chainSeq, hash);
    events++;
  }

  // Digests: signature, link to the previous exported digest, and the hash they name.
  const byChain = new Map();
  for (const d of digests) {
    if (!byChain.has(d.chainId)) byChain.set(d.chainId, []);
    byChain.get(d.chainId).push(d);
  }
  const signedUpTo = new Map(); // chainId -> highest digested seq within the exported events
  for (const [chainId, list] of byChain) {
    list.sort((a, b) => a.lastSeq - b.lastSeq);
    let prev;
    for (const d of list) {
      const at = `the digest of chain ${chainId} covering events up to #${d.lastSeq} (line ${d.line})`;
      const key = publicKeys.get(d.signingKeyId);
      if (!key) fail(`${at}: is signed by key ${d.signingKeyId}, which is not among the exported public keys`);
      let valid = false;
      try {
        valid = verify("sha256", digestPayload(d), key, Buffer.from(d.signature, "base64"));
      } catch {
        valid = false;
      }
      if (!valid) fail(`${at}: has an invalid signature`);
      if (prev && d.prevSignature !== prev.signature) fail(`${at}: does not link to the digest before it (#${prev.lastSeq})`);
      const c = chains.get(chainId);
      // The export adds only one digest past the exported events; a second
      // one means events the digests vouch for were cut from the file.
      if (c && prev && prev.lastSeq > c.last) fail(`${at}: follows a digest past the last exported event #${c.last}: events were removed from the end of the chain`);
      if (c && d.lastSeq >= c.first && d.lastSeq <= c.last) {
        if (c.hashes.get(d.lastSeq) !== d.lastHash) fail(`${at}: event #${d.lastSeq} differs from what the signed digest recorded`);
        signedUpTo.set(chainId, Math.max(signedUpTo.get(chainId) ?? 0, d.lastSeq));
      }
      prev = d;
    }
  }

  const summary = [...chains].map(([id, c]) => `  chain ${id}: events #${c.first}–#${c.last}`).join("\n");
  console.log(`OK: ${events} events in ${chains.size} chain(s) and ${digests.length} signed digest(s) verified.`);
  if (summary) console.log(summary);
  for (const [id, c] of chains) {
    const signed = signedUpTo.get(id);
    if (signed === undefined) {
      console.log(`Note: no signed digest ends inside the exported events of chain ${id}: only the hash chain vouches for them.`);
    } else if (signed < c.last) {
      console.log(`Note: events #${signed + 1}–#${c.last} of chain ${id} come after its last signed digest in the export: only the hash chain vouches for them.`);
    }
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    if (e instanceof Problem) {
      console.error(`TAMPERED OR INCOMPLETE: ${e.message}`);
      process.exit(1);
    }
    console.error(`verify-audit-export: ${e?.message ?? e}`);
    process.exit(2);
  },
);

// The audit record codec in isolation (issue 16): CPU µs per record to encode
// and decode 4,000 realistic records (SDK and CLI user agents, random key
// material ids and access keys: they compress worse than the seeded ones).
//   node bench/record-codec.mjs   (BENCH_ROUNDS, default 5)
import { randomBytes, randomUUID } from "node:crypto";
import * as codec from "../lib/db/audit-record-codec.mjs";

const { decodeRecord, encodeRecord, codecReusesStreams } = codec;

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const agents = ["aws-sdk-js/3.940.0 ua/2.1 os/linux#6.1.0 lang/js md/nodejs#20.20.2 api/kms#3.940.0 m/E,N", "aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12 prompt/off command/kms.encrypt"];
function record(i) {
  const keyId = randomUUID();
  const account = "482915630274";
  return JSON.stringify({
    eventVersion: "1.08",
    userIdentity: { type: "IAMUser", principalId: randomUUID(), arn: `arn:aws:iam::${account}:user/app-${i % 7}`, accountId: account, accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`, userName: `app-${i % 7}`, sessionContext: { attributes: { mfaAuthenticated: "false" } } },
    eventTime: new Date(Date.now() - i * 977).toISOString(),
    eventSource: "kms.amazonaws.com",
    eventName: ["Encrypt", "Decrypt", "GenerateDataKey"][i % 3],
    awsRegion: "eu-west-1",
    sourceIPAddress: `10.1.2.${i % 250}`,
    userAgent: agents[i % 2],
    requestParameters: { keyId, encryptionAlgorithm: "SYMMETRIC_DEFAULT", encryptionContext: { tenant: `t${i % 50}` } },
    responseElements: null,
    additionalEventData: { keyMaterialId: randomBytes(32).toString("hex"), via: "api" },
    requestID: randomUUID(),
    eventID: randomUUID(),
    readOnly: true,
    resources: [{ ARN: `arn:aws:kms:eu-west-1:${account}:key/${keyId}`, accountId: account, type: "AWS::KMS::Key" }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: account,
    eventCategory: "Management",
  });
}

const texts = Array.from({ length: 4000 }, (_, i) => record(i));
// Each record's eventID, as the row's eventId column holds it (format 2 keeps it only there).
const ids = texts.map((t) => JSON.parse(t).eventID);
const bodies = texts.map((t, i) => encodeRecord(t, ids[i]));

function cpu(fn) {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / texts.length;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const encode = [];
const decode = [];
for (let r = 0; r < ROUNDS; r++) {
  encode.push(cpu(() => texts.forEach((t, i) => encodeRecord(t, ids[i]))));
  decode.push(cpu(() => bodies.forEach((body, i) => decodeRecord({ body, eventId: ids[i] }))));
}
const size = (xs) => Math.round(xs.reduce((n, x) => n + Buffer.byteLength(x), 0) / xs.length);
const reusing = typeof codecReusesStreams === "function" ? codecReusesStreams() : false;
console.log(`${process.version}, reused streams: ${reusing}; ${texts.length} records of ${size(texts)} bytes, stored in ${size(bodies)}: encode ${median(encode).toFixed(1)} µs, decode ${median(decode).toFixed(1)} µs a record (median of ${ROUNDS})`);

// JSON 1.1 (de)serialisation against the model: base64 blobs ⇄ Uint8Array,
// epoch-second timestamps ⇄ Date. Type errors become SerializationException
// (as AWS answers them); value constraints are the service layer's job, except
// that no string may hold NUL or a lone surrogate (ValidationException: such
// text cannot be stored or searched). Maps keep every key, "__proto__" too.
import { KmsError, ValidationException } from "@/lib/errors";
import { messages } from "@/lib/errors/messages";
import { isSafeText } from "@/lib/errors/text";
import { kmsModel, type Shape } from "./model";

export class SerializationException extends KmsError {
  constructor(message: string) {
    super("SerializationException", message);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]{3})?$/;

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

function safeText(path: string, s: string): string {
  if (!isSafeText(s)) {
    throw new ValidationException(messages.unsafeText(path));
  }
  return s;
}

/** AWS's JSON 1.1 names for a scalar JSON value, and for the scalar shapes it converts to. */
const CORAL_VALUE = { string: "STRING_VALUE", number: "NUMBER_VALUE", true: "TRUE_VALUE", false: "FALSE_VALUE" } as const;
const CORAL_TARGET: Record<string, string> = { "a string": "String", "an integer": "Integer", "a boolean": "Boolean" };

/** The message of AWS's deserializer where one is on record, else Keyhold's. */
function typeErrorMessage(path: string, expected: string, value: unknown): string {
  if (Array.isArray(value)) return messages.listNotExpected;
  if (expected === "a list") return messages.listExpected;
  if (typeof value === "object" && value !== null) return messages.structureNotExpected;
  const jsonValue = typeof value === "boolean" ? CORAL_VALUE[`${value}`] : CORAL_VALUE[typeof value as "string" | "number"];
  const target = CORAL_TARGET[expected];
  // (A fraction where an integer belongs: no AWS text on record.)
  if (jsonValue && target && !(typeof value === "number" && target === "Integer")) return messages.scalarNotConvertible(jsonValue, target);
  return messages.unexpectedType(path, expected, typeName(value));
}

function fail(path: string, expected: string, value: unknown): never {
  throw new SerializationException(typeErrorMessage(path, expected, value));
}

export function deserialize(shapeName: string, value: unknown, path = ""): unknown {
  const shape: Shape | undefined = kmsModel.shapes[shapeName];
  if (!shape) return value;
  if (value === null) return undefined; // JSON null = absent, as the SDKs treat it
  switch (shape.type) {
    case "structure": {
      if (typeof value !== "object" || Array.isArray(value)) fail(path || "request", "an object", value);
      const out: Record<string, unknown> = {};
      for (const [name, member] of Object.entries(shape.members ?? {})) {
        const v = (value as Record<string, unknown>)[name];
        if (v !== undefined) {
          const d = deserialize(member.shape, v, path ? `${path}.${name}` : name);
          if (d !== undefined) out[name] = d;
        }
      }
      return out; // unknown members are ignored, as AWS does
    }
    case "string":
      return typeof value === "string" ? safeText(path, value) : fail(path, "a string", value);
    case "boolean":
      return typeof value === "boolean" ? value : fail(path, "a boolean", value);
    case "integer":
    case "long":
      return typeof value === "number" && Number.isInteger(value) ? value : fail(path, "an integer", value);
    case "timestamp":
      return typeof value === "number" ? new Date(value * 1000) : fail(path, "a timestamp (epoch seconds)", value);
    case "blob": {
      if (typeof value !== "string") fail(path, "a base64 string", value);
      if (!BASE64.test(value)) throw new SerializationException(messages.notBase64(path));
      return new Uint8Array(Buffer.from(value, "base64"));
    }
    case "list": {
      if (!Array.isArray(value)) fail(path, "a list", value);
      return value.map((v, i) => deserialize(shape.member!.shape, v, `${path}[${i}]`));
    }
    case "map": {
      if (typeof value !== "object" || Array.isArray(value)) fail(path, "a map", value);
      // Object.fromEntries defines own properties: `out[k] = v` would drop a "__proto__" key
      // (it sets the prototype instead), unbinding it from a ciphertext or a grant constraint.
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [safeText(`${path} (a key)`, k), deserialize(shape.value!.shape, v, `${path}.${k}`)]),
      );
    }
    default:
      return value;
  }
}

/** Response values → JSON: Uint8Array → base64, Date → epoch seconds; undefined dropped. */
export function serialize(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.length).toString("base64");
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(serialize);
  if (value && typeof value === "object") {
    // Own properties only (a "__proto__" key of an encryption context survives).
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, serialize(v)]));
  }
  return value;
}

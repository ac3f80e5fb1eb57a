import { NextResponse, type NextRequest } from "next/server";
import { runRoute } from "@/lib/console/run";
import { invokeKms } from "@/lib/kms/invoke";

export const dynamic = "force-dynamic";

function pem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN PUBLIC KEY-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END PUBLIC KEY-----\n`;
}

/** The key's public key as a download: ?format=pem (default) or der. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ keyId: string }> }) {
  const { keyId } = await params;
  const format = request.nextUrl.searchParams.get("format") === "der" ? "der" : "pem";
  let der: Uint8Array | undefined;
  const res = await runRoute(async (caller) => {
    const r = (await invokeKms("GetPublicKey", caller, { KeyId: keyId }, { source: "console" })) as { PublicKey: Uint8Array };
    der = r.PublicKey;
    return {};
  });
  if (!der) return res; // the error answer
  const name = `${keyId.replace(/[^a-zA-Z0-9-]/g, "")}-public`;
  const body = format === "pem" ? pem(der) : Buffer.from(der);
  return new NextResponse(body as BodyInit, {
    headers: {
      "content-type": format === "pem" ? "application/x-pem-file" : "application/pkix-spki",
      "content-disposition": `attachment; filename="${name}.${format}"`,
      "cache-control": "no-store",
    },
  });
}

import { NextResponse } from "next/server";
import { auditSigningPublicKeysPem } from "@/lib/audit/public-key";
import { runRoute } from "@/lib/console/run";

export const dynamic = "force-dynamic";

/**
 * The audit-signing public key(s) as a PEM download, for checking digests
 * outside Keyhold (`openssl dgst -sha256 -verify keyhold-audit-signing.pem …`).
 */
export async function GET() {
  let pem: string | undefined;
  const res = await runRoute(async (caller) => {
    pem = await auditSigningPublicKeysPem(caller);
    return {};
  });
  if (pem === undefined) return res; // the error answer
  return new NextResponse(pem, {
    headers: {
      "content-type": "application/x-pem-file",
      "content-disposition": 'attachment; filename="keyhold-audit-signing.pem"',
      "cache-control": "no-store",
    },
  });
}

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Keep the PGlite WASM bundle, pg, pino and prom-client (one metrics registry with server.ts) out of the server bundle;
  // pkcs11js is a native addon (the HSM root key store), which a bundle cannot hold.
  serverExternalPackages: ["@electric-sql/pglite", "@electric-sql/pglite-socket", "pg", "pino", "prom-client", "pkcs11js"],
  poweredByHeader: false,
  // `npm run typecheck` (part of `npm test`) type-checks the whole project,
  // tests and CLI included; skipping it here keeps `npm start`'s first build short.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;

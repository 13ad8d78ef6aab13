import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// `npm run dev` proxies the API to a running `datahubctl up` (its gateway port by default).
const gateway = process.env.DATAHUB_GATEWAY_URL ?? "http://127.0.0.1:8765";

export default defineConfig({
  plugins: [react()],
  // amazon-cognito-identity-js (through its Buffer and crypto polyfills) reads Node's `global`.
  define: { global: "globalThis" },
  server: { proxy: { "/graphql": gateway, "/config.json": gateway } },
  build: { outDir: "dist", sourcemap: true },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test-setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});

// End-to-end: drives the machine's Chromium (headless) against a running `datahubctl up`.
// A team user signs in, requests a stack from the generated form, watches it complete, finds
// it in search and destroys it. Screenshots of the main pages land in e2e/artifacts/.
//
// Environment: DATAHUB_CONSOLE_URL (the gateway serving the console), DATAHUB_E2E_USERNAME,
// DATAHUB_E2E_PASSWORD, DATAHUB_E2E_TEMPLATE (default ingestion-queue), DATAHUB_E2E_STACK (the
// stack's name, default e2e-<time>), DATAHUB_E2E_PARAMS (JSON of form label -> value, default
// the queue's name), DATAHUB_E2E_TIMEOUT_MS (per deployment), CHROMIUM (default /usr/bin/chromium).
// Exits 0 when every step passed, 1 when one failed (its screenshot is failure.png).

import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });

const base = process.env.DATAHUB_CONSOLE_URL ?? "http://127.0.0.1:8765";
const username = process.env.DATAHUB_E2E_USERNAME ?? "demo-analyst";
const password = process.env.DATAHUB_E2E_PASSWORD;
const template = process.env.DATAHUB_E2E_TEMPLATE ?? "ingestion-queue";
const stackName = process.env.DATAHUB_E2E_STACK ?? `e2e-${Date.now().toString(36)}`;
const params = JSON.parse(process.env.DATAHUB_E2E_PARAMS ?? JSON.stringify({ "Queue Name": stackName }));
const DEPLOY_TIMEOUT = Number(process.env.DATAHUB_E2E_TIMEOUT_MS ?? 180000);

if (!password) {
  console.error("DATAHUB_E2E_PASSWORD is not set");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
const shot = (name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const step = (text) => console.log(`e2e: ${text}`);
const stackHeading = (status) => page.getByRole("heading", { level: 1, name: `${stackName} ${status}` });
page.on("pageerror", (error) => console.error(`page error: ${error.message}`));

try {
  step("sign in");
  await page.goto(base);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Catalog" }).waitFor();
  await shot("catalog");

  step(`request a stack from ${template}`);
  await page.goto(`${base}/catalog/${template}`);
  await page.getByRole("heading", { name: "Request a stack" }).waitFor();
  await page.getByLabel("Stack name").fill(stackName);
  for (const [label, value] of Object.entries(params)) {
    await page.getByLabel(label, { exact: false }).first().fill(String(value));
  }
  await shot("request-form");
  await page.getByRole("button", { name: "Request stack" }).click();

  step("watch it deploy");
  await page.getByRole("region", { name: "Deployment events" }).waitFor();
  await shot("stack-deploying");
  await stackHeading("active").waitFor({ timeout: DEPLOY_TIMEOUT });
  await page.getByRole("heading", { name: "create deployment succeeded" }).waitFor();
  await shot("stack-active");
  const stackUrl = page.url();

  step("find it in search");
  await page.goto(`${base}/search`);
  await page.getByRole("searchbox").fill(stackName);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("region", { name: "Results" }).getByRole("link", { name: stackName }).waitFor({ timeout: 30000 });
  await shot("search");

  step("destroy it");
  await page.goto(stackUrl);
  await page.getByRole("button", { name: "Destroy", exact: true }).click();
  await page.getByLabel("Type the stack name to confirm").fill(stackName);
  await page.getByRole("button", { name: "Destroy stack" }).click();
  await stackHeading("destroyed").waitFor({ timeout: DEPLOY_TIMEOUT });
  await page.getByRole("heading", { name: "destroy deployment succeeded" }).waitFor();
  await shot("stack-destroyed");

  step("stacks list");
  await page.goto(`${base}/stacks`);
  await page.getByRole("heading", { name: "Stacks" }).waitFor();
  await shot("stacks");
  step("passed");
} catch (error) {
  await shot("failure").catch(() => {});
  console.error(`e2e failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

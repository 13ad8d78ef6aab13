// End-to-end: drives the machine's Chromium (headless) against a running `datahubctl up`.
// A team user signs in, requests a stack from the generated form, watches it complete, finds
// it in search and destroys it. Screenshots of the main pages land in e2e/artifacts/.
//
// Environment: DATAHUB_CONSOLE_URL (the gateway serving the console), DATAHUB_E2E_USERNAME,
// DATAHUB_E2E_PASSWORD, DATAHUB_E2E_TEMPLATE (default ingestion-queue), DATAHUB_E2E_STACK (the
// stack's name, default e2e-<time>), DATAHUB_E2E_PARAMS (JSON of form label -> value, default
// the queue's name), DATAHUB_E2E_UPDATE (JSON of form label -> value changed in a previewed update
// before the destroy, default a receive count; "{}" skips it), DATAHUB_E2E_TIMEOUT_MS (per deployment), CHROMIUM (default /usr/bin/chromium).
// With DATAHUB_E2E_ADMIN_USERNAME and DATAHUB_E2E_ADMIN_PASSWORD, an admin then makes the
// template's newest version need approval, the user requests a second stack and the admin
// approves it from the Admin page.
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
const update = JSON.parse(process.env.DATAHUB_E2E_UPDATE ?? '{"Max Receive Count": 7}');
const adminUsername = process.env.DATAHUB_E2E_ADMIN_USERNAME;
const adminPassword = process.env.DATAHUB_E2E_ADMIN_PASSWORD;

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
const step = (text) => console.log(`e2e: ${text}`);
let current = null; // the page a failure's screenshot shows

/** A signed-in page of its own browser context (sessions are kept per context). */
async function signIn(user, secret) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
  page.on("dialog", (dialog) => dialog.accept());
  current = page;
  await page.goto(base);
  await page.getByLabel("Username").fill(user);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Catalog" }).waitFor();
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
const stackHeading = (page, name, status) => page.getByRole("heading", { level: 1, name: `${name} ${status}` });

async function fill(page, values) {
  for (const [label, value] of Object.entries(values)) {
    await page.getByLabel(label, { exact: false }).first().fill(String(value));
  }
}

/** Fills the template's request form and sends it; the page moves to the new stack. */
async function requestStack(page, name, values, screenshot) {
  await page.goto(`${base}/catalog/${template}`);
  await page.getByRole("heading", { name: "Request a stack" }).waitFor();
  await page.getByLabel("Stack name").fill(name);
  await fill(page, values);
  if (screenshot) await shot(page, screenshot);
  await page.getByRole("button", { name: "Request stack" }).click();
  await page.getByRole("region", { name: "Deployment events" }).waitFor();
}

/** The template's newest version published with approval needed (or not). */
async function requireApproval(admin, needed) {
  await admin.goto(`${base}/admin`);
  const newest = admin.getByRole("table", { name: template }).getByRole("row").nth(1);
  const version = (await newest.getByRole("cell").first().textContent()).trim();
  await newest.getByRole("button", { name: /constraints|Publish/ }).click();
  await admin.getByRole("checkbox", { name: /approval/ }).setChecked(needed);
  await admin.getByRole("button", { name: `Publish ${version}` }).click();
  await admin.getByText(`${template} ${version} published.`).waitFor();
}

try {
  step(`sign in as ${username}`);
  const page = await signIn(username, password);
  await shot(page, "catalog");

  step(`request a stack from ${template}`);
  await requestStack(page, stackName, params, "request-form");

  step("watch it deploy");
  await shot(page, "stack-deploying");
  await stackHeading(page, stackName, "active").waitFor({ timeout: DEPLOY_TIMEOUT });
  await page.getByRole("heading", { name: "create deployment succeeded" }).waitFor();
  await shot(page, "stack-active");
  const stackUrl = page.url();

  step("find it in search");
  await page.goto(`${base}/search`);
  await page.getByRole("searchbox").fill(stackName);
  await page.getByRole("button", { name: "Search" }).click();
  await page.getByRole("region", { name: "Results" }).getByRole("link", { name: stackName }).waitFor({ timeout: 30000 });
  await shot(page, "search");

  if (Object.keys(update).length) {
    step("update it: preview the diff, then deploy it");
    await page.goto(stackUrl);
    await page.getByRole("button", { name: "Update parameters" }).click();
    await fill(page, update);
    await page.getByRole("button", { name: "Preview change" }).click();
    await page.getByRole("button", { name: "Deploy this change" }).waitFor({ timeout: DEPLOY_TIMEOUT });
    await page.getByRole("region", { name: "Preview" }).getByText(/modified/).first().waitFor();
    await shot(page, "update-preview");
    await page.getByRole("button", { name: "Deploy this change" }).click();
    await page.getByRole("heading", { name: "update deployment succeeded" }).waitFor({ timeout: DEPLOY_TIMEOUT });
  }

  step("destroy it");
  await page.goto(stackUrl);
  await page.getByRole("button", { name: "Destroy", exact: true }).click();
  await page.getByLabel("Type the stack name to confirm").fill(stackName);
  await page.getByRole("button", { name: "Destroy stack" }).click();
  await stackHeading(page, stackName, "destroyed").waitFor({ timeout: DEPLOY_TIMEOUT });
  await page.getByRole("heading", { name: "destroy deployment succeeded" }).waitFor();
  await shot(page, "stack-destroyed");

  step("stacks list");
  await page.goto(`${base}/stacks`);
  await page.getByRole("heading", { name: "Stacks" }).waitFor();
  await shot(page, "stacks");

  if (adminUsername && adminPassword) {
    step(`sign in as ${adminUsername}; requests of ${template} need approval`);
    const admin = await signIn(adminUsername, adminPassword);
    await requireApproval(admin, true);

    const approved = `${stackName}-ok`;
    step(`${username} requests ${approved}; it waits for approval`);
    current = page;
    await requestStack(page, approved, { ...params, "Queue Name": approved });
    await stackHeading(page, approved, "pending approval").waitFor({ timeout: 60000 });
    await page.getByRole("heading", { name: "create deployment pending approval" }).waitFor({ timeout: 60000 });

    step(`${adminUsername} approves it`);
    current = admin;
    await admin.goto(`${base}/admin`);
    await admin.getByRole("button", { name: `Approve ${approved}` }).waitFor({ timeout: 60000 });
    await shot(admin, "admin");
    await admin.getByRole("button", { name: `Approve ${approved}` }).click();
    await admin.getByRole("button", { name: `Approve ${approved}` }).waitFor({ state: "detached" });
    await requireApproval(admin, false);

    step("it deploys");
    current = page;
    await stackHeading(page, approved, "active").waitFor({ timeout: DEPLOY_TIMEOUT });
    await shot(page, "stack-approved");
  }
  step("passed");
} catch (error) {
  if (current) await shot(current, "failure").catch(() => {});
  console.error(`e2e failed: ${error.message}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}

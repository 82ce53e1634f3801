// The main flow in Firefox over WebDriver BiDi (puppeteer-core from our npm lock): pick a
// photo, wait for the cut-out, the first screen at a laptop's sizes, take the downloaded
// file's bytes, then a portrait photo at a phone's sizes, switch the language.
// node firefox_flow.mjs NODE_MODULES ORIGIN PHOTO PORTRAIT OUT_DIR FIREFOX -> one JSON line
import fs from "node:fs";
import {createRequire} from "node:module";
import path from "node:path";
import {pathToFileURL} from "node:url";

const [modules, origin, photo, portrait, outDir, firefox] = process.argv.slice(2);
const firstScreen = fs.readFileSync(new URL("../first_screen.js", import.meta.url), "utf8");
// Resolved from the npm cache's node_modules, by the package's own exports.
const entry = createRequire(path.join(modules, "index.js")).resolve("puppeteer-core");
const imported = await import(pathToFileURL(entry).href);
const puppeteer = imported.default ?? imported;

// Downloads go straight to OUT_DIR, as a user's browser set to save without asking would.
const browser = await puppeteer.launch({
  browser: "firefox", executablePath: firefox, headless: true, protocol: "webDriverBiDi",
  // Longer than the page's own waits, so a stuck page fails on our wait, with what it showed.
  protocolTimeout: 400_000,
  extraPrefsFirefox: {
    "browser.download.dir": outDir, "browser.download.folderList": 2,
    "browser.download.useDownloadDir": true, "browser.download.always_ask_before_handling_new_types": false,
    "browser.helperApps.neverAsk.saveToDisk": "image/png",
  },
});
let page;
const report = {errors: [], console: [], before: [], after: {}};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// Polled on a timer, not puppeteer's default requestAnimationFrame: a headless window that
// paints no frame would not ask again (one CI run hung 180 s at the first wait, cause unseen).
const until = (test) => page.waitForFunction(test, {polling: 250});
try {
  page = await browser.newPage();
  page.on("pageerror", (error) => report.errors.push(String(error)));
  page.on("console", (line) => {
    if (line.type() !== "debug") report.console.push(`${line.type()}: ${line.text()}`.slice(0, 300));
  });
  page.setDefaultTimeout(240_000);
  const start = Date.now();
  await page.setViewport({width: 1366, height: 768});
  await page.goto(origin + "/");
  // Ready, or a failure the page shows (then the checks below say which).
  await until(() => document.body.dataset.tModel !== undefined
    || document.body.dataset.state === "error");
  report.ready_s = (Date.now() - start) / 1000;
  report.isolated = await page.evaluate(() => crossOriginIsolated);
  for (const [width, height] of [[360, 640], [1366, 768]]) {
    await page.setViewport({width, height});
    await sleep(300);
    report.before.push(await page.evaluate(`(${firstScreen})()`));
  }
  const input = await page.$("#file");
  const picked = Date.now();
  await input.uploadFile(photo);
  await until(() => Number(document.body.dataset.handled || 0) >= 1);
  report.cut_s = (Date.now() - picked) / 1000;
  report.state = await page.evaluate(() => document.body.dataset.state);
  report.message = await page.evaluate(() => document.querySelector("#message").textContent);
  report.status = await page.evaluate(() => document.querySelector("#status").textContent);
  report.lacks = await page.evaluate(() => document.querySelector("#lacks").textContent);
  report.lacks_hidden = await page.evaluate(() => document.querySelector("#lacks").hidden);
  await until(() => !document.querySelector("#download").hasAttribute("aria-disabled"));
  report.name = await page.evaluate(() => document.querySelector("#download").download);
  // The first screen at a laptop's sizes (the stage refits itself).
  for (const [width, height] of [[1280, 720], [1366, 768]]) {
    await page.setViewport({width, height});
    await sleep(500);
    report.after[`${width}x${height}`] = await page.evaluate(`(${firstScreen})()`);
  }
  await page.click("#download");
  const saved = path.join(outDir, report.name);
  for (let i = 0; i < 600 && !(fs.existsSync(saved) && !fs.existsSync(saved + ".part")); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  report.saved = fs.existsSync(saved) ? saved : null;
  // A portrait photo, as people take them with a phone, at a phone's sizes.
  await page.setViewport({width: 390, height: 844});
  await (await page.$("#file")).uploadFile(portrait);
  await until(() => Number(document.body.dataset.handled || 0) >= 2);
  for (const [width, height] of [[360, 640], [390, 844]]) {
    await page.setViewport({width, height});
    await sleep(500);
    report.after[`${width}x${height}`] = await page.evaluate(`(${firstScreen})()`);
  }
  await page.click("button[data-lang=zh]");
  report.lang = await page.evaluate(() => document.documentElement.lang);
  report.download_label = await page.evaluate(() => document.querySelector("#download").textContent);
} catch (error) {
  // What the page showed when a step failed, for the test's message.
  report.failed = String(error).slice(0, 1000);
  report.shown = await Promise.race([
    browser.pages().then(async (pages) => pages.at(-1)?.evaluate(() => ({
      state: document.body.dataset.state, status: document.querySelector("#status")?.textContent,
      message: document.querySelector("#message")?.textContent,
      stage: document.querySelector("#stage")?.textContent}))),
    sleep(10_000).then(() => "no answer in 10 s"),
  ]).catch((e) => String(e));
  console.error(JSON.stringify(report));
  process.exitCode = 1;
} finally {
  await browser.close();
}
if (!process.exitCode) console.log(JSON.stringify(report));

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
  extraPrefsFirefox: {
    "browser.download.dir": outDir, "browser.download.folderList": 2,
    "browser.download.useDownloadDir": true, "browser.download.always_ask_before_handling_new_types": false,
    "browser.helperApps.neverAsk.saveToDisk": "image/png",
  },
});
const report = {errors: [], before: [], after: {}};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
try {
  const page = await browser.newPage();
  page.on("pageerror", (error) => report.errors.push(String(error)));
  page.setDefaultTimeout(300_000);
  const start = Date.now();
  await page.setViewport({width: 1366, height: 768});
  await page.goto(origin + "/");
  await page.waitForFunction(() => document.body.dataset.tModel !== undefined);
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
  await page.waitForFunction(() => Number(document.body.dataset.handled || 0) >= 1);
  report.cut_s = (Date.now() - picked) / 1000;
  report.state = await page.evaluate(() => document.body.dataset.state);
  report.message = await page.evaluate(() => document.querySelector("#message").textContent);
  report.status = await page.evaluate(() => document.querySelector("#status").textContent);
  report.lacks = await page.evaluate(() => document.querySelector("#lacks").textContent);
  report.lacks_hidden = await page.evaluate(() => document.querySelector("#lacks").hidden);
  await page.waitForFunction(() => !document.querySelector("#download").hasAttribute("aria-disabled"));
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
  await page.waitForFunction(() => Number(document.body.dataset.handled || 0) >= 2);
  for (const [width, height] of [[360, 640], [390, 844]]) {
    await page.setViewport({width, height});
    await sleep(500);
    report.after[`${width}x${height}`] = await page.evaluate(`(${firstScreen})()`);
  }
  await page.click("button[data-lang=zh]");
  report.lang = await page.evaluate(() => document.documentElement.lang);
  report.download_label = await page.evaluate(() => document.querySelector("#download").textContent);
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));

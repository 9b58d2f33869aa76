// The search page's budget on a built site: what it downloads before it
// can show a first result, and how long a query takes, run by the same
// matching code the page runs (static/search.js) on the site's own index.
//
//   node bench/search_bench.mjs PUBLIC_DIR [PUBLIC_DIR ...]
//
// Prints a Markdown table: posts, bytes before the first result (the
// search page, search.js and search-index.json; raw and gzip -6), bytes
// of the body files (raw and gzip), time to prepare the index, and the median and
// worst time of a query over a set of queries, before and after the body
// text is loaded. Node runs V8, the engine of Chromium, on the same code.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";
import { performance } from "node:perf_hooks";

const here = path.dirname(new URL(import.meta.url).pathname);
const scriptSource = fs.readFileSync(path.join(here, "..", "static", "search.js"), "utf8");
const QUERIES = ["kubecon", "observability prometheus", "rust", "keynote", "zzzz-no-match", "the", "a", "platform engineering day"];
const RUNS = 20;

function gzipSize(bytes) {
  return zlib.gzipSync(bytes, { level: 6 }).length;
}

function kib(bytes) {
  return (bytes / 1024).toFixed(0) + " KiB";
}

function timeQueries(search, rows) {
  const times = [];
  for (const query of QUERIES) {
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      search(rows, query);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], worst: times[times.length - 1] };
}

function measure(dir) {
  const context = {};
  vm.createContext(context);
  vm.runInContext(scriptSource, context);
  const { prepare, addBodies, search } = context.recapSearch;
  const indexBytes = fs.readFileSync(path.join(dir, "search-index.json"));
  const pageBytes = fs.readFileSync(path.join(dir, "search", "index.html"));
  const scriptFile = fs.readdirSync(dir).find((name) => /^search(\.[0-9a-f]+)?\.js$/.test(name));
  const jsBytes = fs.readFileSync(path.join(dir, scriptFile));
  const first = [pageBytes, jsBytes, indexBytes];
  const firstRaw = first.reduce((sum, bytes) => sum + bytes.length, 0);
  const firstGzip = first.reduce((sum, bytes) => sum + gzipSize(bytes), 0);
  const data = JSON.parse(indexBytes);
  let start = performance.now();
  const rows = prepare(data);
  const prepareMs = performance.now() - start;
  const before = timeQueries(search, rows);
  let bodiesGzip = 0;
  let bodiesRaw = 0;
  data.bodies.files.forEach((name, number) => {
    const bytes = fs.readFileSync(path.join(dir, name));
    bodiesGzip += gzipSize(bytes);
    bodiesRaw += bytes.length;
    addBodies(rows, number * data.bodies.posts_per_file, JSON.parse(bytes));
  });
  const after = timeQueries(search, rows);
  return {
    posts: data.posts.length,
    firstRaw, firstGzip, bodiesRaw, bodiesGzip, prepareMs, before, after,
  };
}

const dirs = process.argv.slice(2);
if (!dirs.length) {
  console.error("usage: node bench/search_bench.mjs PUBLIC_DIR [PUBLIC_DIR ...]");
  process.exit(2);
}
console.log("| posts | before the first result: raw / gzip | body files: raw / gzip | prepare | query, median / worst: titles and summaries | with body text |");
console.log("| ---: | --- | ---: | ---: | --- | --- |");
for (const dir of dirs) {
  const m = measure(dir);
  const ms = (value) => value.toFixed(1) + " ms";
  console.log(`| ${m.posts.toLocaleString("en")} | ${kib(m.firstRaw)} / ${kib(m.firstGzip)} | ${kib(m.bodiesRaw)} / ${kib(m.bodiesGzip)} | ${ms(m.prepareMs)} | ${ms(m.before.median)} / ${ms(m.before.worst)} | ${ms(m.after.median)} / ${ms(m.after.worst)} |`);
}

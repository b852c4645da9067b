// Runs assets/search.js's engine in node over a static index on disk.
// Usage: node engine.js SEARCH_JS INDEX_DIR < queries.json
// Reads a JSON array of queries; writes, one JSON line per query, the
// ranked document numbers and scores, and the bytes fetched (raw and gzip)
// since the previous query.
"use strict";
const fs = require("fs"), path = require("path"), zlib = require("zlib");
const [searchJS, dir] = process.argv.slice(2);
let raw = 0, gz = 0;
globalThis.fetch = async (u) => {
  const data = fs.readFileSync(path.join(dir, u));
  raw += data.length;
  gz += zlib.gzipSync(data, { level: 9 }).length;
  return { ok: true, status: 200, json: async () => JSON.parse(data) };
};
const { engine } = require(path.resolve(searchJS));
(async () => {
  const queries = JSON.parse(fs.readFileSync(0, "utf8"));
  for (const q of queries) {
    const E = engine(""); // a fresh visit for every query
    raw = gz = 0;
    const t0 = process.hrtime.bigint();
    const r = await E.query(q, 10);
    await Promise.all(r.hits.map((h) => E.record(h.n)));
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    const { raw: r0, gz: g0 } = { raw, gz };
    // The same query again, with everything fetched: the cost of a keystroke.
    const t1 = process.hrtime.bigint();
    await E.query(q, 10);
    const warm = Number(process.hrtime.bigint() - t1) / 1e6;
    process.stdout.write(JSON.stringify({ q, hits: r.hits, total: r.total, raw: r0, gz: g0, ms, warm }) + "\n");
  }
})().catch((e) => { console.error(e); process.exit(1); });

// Runs SQL statements in an in-memory DuckDB and prints the last statement's
// rows as JSON (values converted to JSON-safe forms by the package).
// usage: node duckdb_query.cjs <node-duckdb dir> <sql> [<sql> ...]
// Works with @duckdb/node-api (preferred) or the older `duckdb` package.
'use strict';
const { createRequire } = require('module');
const req = createRequire(process.argv[2] + '/');
const stmts = process.argv.slice(3);

function fail(e) {
  process.stderr.write(String(e && e.message ? e.message : e) + '\n');
  process.exit(1);
}

async function withNodeApi(api) {
  const inst = await api.DuckDBInstance.create(':memory:', { threads: process.env.DUCKDB_THREADS || '1' });
  const con = await inst.connect();
  let rows = [];
  for (const s of stmts) {
    const t0 = process.hrtime.bigint();
    const r = await con.runAndReadAll(s);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (process.env.DUCKDB_TIMING) process.stderr.write(`duckdb-ms ${ms.toFixed(1)}\n`);
    rows = r.getRowObjectsJson();
  }
  return rows;
}

function withOld(duckdb) {
  return new Promise((resolve, reject) => {
    const db = new duckdb.Database(':memory:');
    let i = 0;
    const next = (rows) => {
      if (i === stmts.length) return resolve(rows);
      db.all(stmts[i++], (err, res) => (err ? reject(err) : next(res)));
    };
    next([]);
  });
}

(async () => {
  let rows;
  try {
    rows = await withNodeApi(req('@duckdb/node-api'));
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') rows = await withOld(req('duckdb'));
    else throw e;
  }
  process.stdout.write(JSON.stringify(rows, (k, v) => (typeof v === 'bigint' ? v.toString() : v)));
})().catch(fail);

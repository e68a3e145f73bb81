// Loaded into the app's process by `bench:webhooks -- --db postgres --trace-sql` (node --import):
// wraps pg's Client#query to count statements by kind and time transactions, without touching
// the app. Transactions holding savepoints are the webhook applier's batches (one savepoint per
// delivery). On SIGUSR2 it writes what it saw since the last SIGUSR2 to $BENCH_SQL_TRACE as JSON.
import fs from "node:fs";
import pg from "pg";

const emptyTotals = () => ({
  batches: { count: 0, deliveries: 0, statements: 0, wallMs: [], roundTripMs: 0, kinds: {}, kindMs: {} },
  otherTransactions: { count: 0, statements: 0, kinds: {} },
  outsideTransactions: { statements: 0, kinds: {} },
});
let totals = emptyTotals();

/** "INSERT webhook_receipts", "SELECT loyalty_orders FOR UPDATE", "SAVEPOINT", ... */
function kindOf(text) {
  const sql = text.trim().replace(/\s+/g, " ");
  const verb =
    /^(ROLLBACK TO SAVEPOINT|RELEASE SAVEPOINT|SAVEPOINT|BEGIN|COMMIT|ROLLBACK|SELECT|INSERT|UPDATE|DELETE|WITH)/i.exec(sql)?.[1]?.toUpperCase() ??
    sql.slice(0, 20);
  const table = /\b(?:FROM|INTO|UPDATE)\s+"?([A-Za-z_]+)"?/i.exec(sql)?.[1];
  const lock = /FOR UPDATE SKIP LOCKED/i.test(sql) ? " FOR UPDATE SKIP LOCKED" : /FOR UPDATE/i.test(sql) ? " FOR UPDATE" : "";
  const upsert = /ON CONFLICT[^)]*\)\s*DO UPDATE/i.test(sql) ? " ON CONFLICT DO UPDATE" : /ON CONFLICT/i.test(sql) ? " ON CONFLICT DO NOTHING" : "";
  return `${verb}${table ? ` ${table}` : ""}${upsert}${lock}`;
}

const bump = (kinds, kind) => (kinds[kind] = (kinds[kind] ?? 0) + 1);
const open = new WeakMap();

function record(client, kind, opensSavepoint, started) {
  const ms = performance.now() - started;
  if (kind === "BEGIN") {
    // "BEGIN; SAVEPOINT sp_1" (the app sends a batch's first savepoint with its BEGIN) opens a delivery too.
    open.set(client, { started, statements: [], savepoints: opensSavepoint ? 1 : 0, roundTripMs: ms, kindMs: { BEGIN: ms } });
    return;
  }
  const tx = open.get(client);
  if (!tx) {
    totals.outsideTransactions.statements++;
    bump(totals.outsideTransactions.kinds, kind);
    return;
  }
  tx.statements.push(kind);
  tx.roundTripMs += ms;
  tx.kindMs[kind] = (tx.kindMs[kind] ?? 0) + ms;
  if (opensSavepoint) tx.savepoints++;
  if (kind !== "COMMIT" && kind !== "ROLLBACK") return;
  open.delete(client);
  const all = ["BEGIN", ...tx.statements];
  if (tx.savepoints > 0) {
    const b = totals.batches;
    b.count++;
    b.deliveries += tx.savepoints;
    b.statements += all.length;
    b.wallMs.push(performance.now() - tx.started);
    b.roundTripMs += tx.roundTripMs;
    for (const k of all) bump(b.kinds, k);
    for (const [k, spent] of Object.entries(tx.kindMs)) b.kindMs[k] = (b.kindMs[k] ?? 0) + spent;
  } else {
    const o = totals.otherTransactions;
    o.count++;
    o.statements += all.length;
    for (const k of all) bump(o.kinds, k);
  }
}

const query = pg.Client.prototype.query;
pg.Client.prototype.query = function tracedQuery(config, values, callback) {
  const text = typeof config === "string" ? config : config?.text;
  if (typeof text !== "string") return query.call(this, config, values, callback);
  const kind = kindOf(text);
  const started = performance.now();
  const done = () => record(this, kind, /(^|;)\s*SAVEPOINT\b/i.test(text), started);
  const cb = typeof values === "function" ? values : callback;
  if (cb) {
    const wrapped = (error, result) => {
      done();
      cb(error, result);
    };
    return typeof values === "function" ? query.call(this, config, wrapped) : query.call(this, config, values, wrapped);
  }
  const result = query.call(this, config, values);
  if (result && typeof result.then === "function") result.then(done, done);
  return result;
};

process.on("SIGUSR2", () => {
  fs.writeFileSync(process.env.BENCH_SQL_TRACE, JSON.stringify(totals));
  totals = emptyTotals();
});

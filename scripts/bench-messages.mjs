#!/usr/bin/env node
// Outbox benchmark (not a test): N rendered member messages queued in a fresh database, then the
// app's outbox worker (app/email/outbox-worker.server.ts: claim a batch with a lease, send each
// over pooled SMTP connections, mark it sent) drains them into a local SMTP server (smtp-server,
// in a child process of its own so its CPU is counted apart). Each round queues the N messages
// again; prints each round's messages/s, wall time and CPU time (the worker's process and the SMTP
// server's), and the medians.
//
//   npm run bench:messages -- [--messages 10000] [--rounds 3] [--db sqlite|postgres] [--workers 1]
//
// --workers runs that many outbox workers in this process, each with its own database connection
// (its own pool on PostgreSQL), as that many app instances would.
import { spawn } from "node:child_process";
import os from "node:os";
import { createBenchDatabases, cpuSeconds, databaseKindOption, loadAppModules, median, option, root } from "./bench-support.mjs";

const MESSAGES = option("messages", 10_000);
const ROUNDS = option("rounds", 3);
const WORKERS = option("workers", 1);
const KIND = databaseKindOption();
const SHOP = "messages-bench.myshopify.com";
const SEED_CHUNK = 200;

/** The SMTP server: accepts everything, reads each message to its end, counts them; answers "count" over IPC. */
const SMTP_CHILD = `
const { SMTPServer } = require("smtp-server");
let received = 0;
const server = new SMTPServer({
  authOptional: true, disabledCommands: ["STARTTLS"], logger: false,
  onData(stream, _session, callback) { stream.on("end", () => { received++; callback(); }); stream.resume(); },
});
server.listen(0, "127.0.0.1", () => process.send({ port: server.server.address().port }));
process.on("message", (message) => { if (message === "count") process.send({ received }); if (message === "stop") server.close(() => process.exit(0)); });
`;

function startSmtpChild() {
  const child = spawn(process.execPath, ["-e", SMTP_CHILD], { cwd: root, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const next = () => new Promise((resolve) => child.once("message", resolve));
  return {
    child,
    ready: next(),
    async received() {
      const answer = next();
      child.send("count");
      return (await answer).received;
    },
    stop: () => new Promise((resolve) => (child.once("exit", resolve), child.send("stop"))),
  };
}

/** One rendered message a member, as the composer queues them (about 1.5 KB of HTML and text). */
async function queueMessages(client, memberIds, round) {
  const now = new Date().toISOString();
  const html = `<!doctype html><html><body><h1>You earned 40 points</h1><p>${"Thank you for shopping with Messages Bench. ".repeat(20)}</p></body></html>`;
  const text = `You earned 40 points.\n${"Thank you for shopping with Messages Bench. ".repeat(10)}`;
  const row = "(?, ?, 'points_earned', ?, ?, 'en', 'You earned 40 points', ?, ?, ?, ?)";
  for (let from = 0; from < memberIds.length; from += SEED_CHUNK) {
    const ids = memberIds.slice(from, from + SEED_CHUNK);
    await client.run(
      `INSERT INTO "outbox_messages" ("shop", "member_id", "kind", "occasion_key", "to_email", "locale", "subject", "html", "text", "next_attempt_at", "created_at") VALUES ${ids.map(() => row).join(", ")}`,
      ids.flatMap((id) => [SHOP, id, `${id}:points_earned:round-${round}`, `member${id}@example.com`, html, text, now, now]),
    );
  }
}

async function seedMembers(client) {
  const now = new Date().toISOString();
  await client.run(`INSERT INTO "shops" ("domain", "installed_at", "currency_code", "updated_at") VALUES (?, ?, 'USD', ?)`, [SHOP, now, now]);
  const row = "(?, ?, ?, 'Bench', 'SUBSCRIBED', 'en', ?, ?)";
  for (let from = 0; from < MESSAGES; from += SEED_CHUNK) {
    const count = Math.min(SEED_CHUNK, MESSAGES - from);
    await client.run(
      `INSERT INTO "members" ("shop", "customer_id", "email", "first_name", "marketing_state", "locale", "created_at", "updated_at") VALUES ${Array(count).fill(row).join(", ")}`,
      Array.from({ length: count }, (_, k) => [SHOP, String(8_000_000_000_000 + from + k), `member${from + k}@example.com`, now, now]).flat(),
    );
  }
  const ids = [];
  for (let from = 0; ids.length < MESSAGES; from = ids.at(-1)) {
    const rows = await client.all(`SELECT "id" FROM "members" WHERE "shop" = ? AND "id" > ? ORDER BY "id" LIMIT 5000`, [SHOP, from]);
    if (rows.length === 0) break;
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}

async function main() {
  const databases = await createBenchDatabases(KIND);
  const app = await loadAppModules(
    "bench-messages",
    `
      export { openDatabase } from "./app/db/connection.server";
      export { createOutboxDelivery, OUTBOX_BATCH_SIZE, OUTBOX_SEND_CONCURRENCY, OUTBOX_LEASE_MS } from "./app/email/outbox-worker.server";
    `,
  );
  const smtp = startSmtpChild();
  const { port } = await smtp.ready;
  const dbs = Array.from({ length: WORKERS }, () => app.openDatabase(databases.appUrl));
  try {
    const memberIds = await seedMembers(dbs[0].raw);
    console.log(
      `bench: the outbox worker sends ${MESSAGES.toLocaleString("en")} messages to smtp-server on 127.0.0.1 (its own process), ${WORKERS} worker(s), ` +
        `batches of ${app.OUTBOX_BATCH_SIZE}, ${app.OUTBOX_SEND_CONCURRENCY} sends in flight and pooled connections each, ${KIND}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)}`,
    );
    const rounds = [];
    for (let round = 1; round <= ROUNDS; round++) {
      await dbs[0].raw.run(`DELETE FROM "outbox_messages"`);
      await queueMessages(dbs[0].raw, memberIds, round);
      const before = await smtp.received();
      const workers = dbs.map((db, index) =>
        app.createOutboxDelivery({
          db,
          config: { appUrl: "https://loyalty.example", apiSecrets: ["bench-secret"] },
          environmentSmtp: { url: `smtp://127.0.0.1:${port}`, from: "Messages Bench <rewards@messages-bench.example>" },
          worker: `bench-${round}-${index}`,
        }),
      );
      const cpu0 = process.cpuUsage();
      const smtpCpu0 = cpuSeconds(smtp.child.pid);
      const t0 = performance.now();
      const sent = await Promise.all(
        workers.map(async (worker) => {
          let total = 0;
          for (;;) {
            const report = await worker.runDue();
            if (report.retried + report.failed + report.bounced + report.lost > 0)
              throw new Error(`round ${round}: not every message was sent: ${JSON.stringify(report)}`);
            total += report.sent;
            if (report.claimed === 0) return total;
          }
        }),
      );
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const smtpCpu = smtpCpu0 === null ? null : cpuSeconds(smtp.child.pid) - smtpCpu0;
      workers.forEach((worker) => worker.close());
      const arrived = (await smtp.received()) - before;
      const total = sent.reduce((a, b) => a + b, 0);
      const unsent = await dbs[0].raw.get(`SELECT COUNT(*) AS "n" FROM "outbox_messages" WHERE "status" <> 'sent'`);
      if (total !== MESSAGES || arrived !== MESSAGES || Number(unsent.n) !== 0) {
        throw new Error(`round ${round}: ${total} marked sent, ${arrived} arrived, ${unsent.n} not sent, of ${MESSAGES}`);
      }
      const result = { perSecond: MESSAGES / seconds, seconds, cpu: (cpu.user + cpu.system) / 1e6, smtpCpu };
      rounds.push(result);
      console.log(
        `  round ${round}: ${result.perSecond.toFixed(0)} messages/s, wall ${seconds.toFixed(2)} s, worker CPU ${result.cpu.toFixed(2)} s (${((result.cpu / MESSAGES) * 1e6).toFixed(0)} µs a message)` +
          (smtpCpu === null ? "" : `, SMTP server CPU ${smtpCpu.toFixed(2)} s`),
      );
    }
    const mid = (key) => median(rounds.map((round) => round[key]));
    console.log(
      `outbox (median of ${ROUNDS}): ${mid("perSecond").toFixed(0)} messages/s, wall ${mid("seconds").toFixed(2)} s, worker CPU ${mid("cpu").toFixed(2)} s` +
        (rounds[0].smtpCpu === null ? "" : `, SMTP server CPU ${mid("smtpCpu").toFixed(2)} s`) +
        ` for ${MESSAGES.toLocaleString("en")} messages`,
    );
  } finally {
    await Promise.all(dbs.map((db) => db.close()));
    await databases.app.close();
    await smtp.stop();
    await databases.cleanup();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

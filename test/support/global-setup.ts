import pg from "pg";

// Fails the whole run early, with a clear message, when the PostgreSQL run has no server.
export default async function setup() {
  if (process.env.TEST_DATABASE !== "postgres") return;
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_DATABASE=postgres needs TEST_POSTGRES_URL (scripts/test.mjs sets both)");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.end();
}
